"""Contract commands (IDs 190–199; 190–193 as in Wippy) and the event AsyncCall delivers.

A call names its target: a :class:`Handle` from ``Open``, or a contract's name (its first
binding). Fields are checked when a command is built: a wrong one raises
:class:`~.errors.ContractArgumentError` naming the command, its ID and the field. Input is
checked against the method's type before the binding runs, output after.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from actorkit.checks import Check, integer, text
from actorkit.lowlevel import Command, Event, command, declare_range

from .errors import ContractArgumentError

declare_range("contract", 190, 199)


@attrs.frozen
class Handle:
    """An opened contract: which binding answers its calls."""

    contract: str
    binding: str


_NAME = text(non_empty=True).raising(ContractArgumentError)
_OPTIONAL = text(optional=True, non_empty=True).raising(ContractArgumentError)
_TARGET = Check(
    lambda v: isinstance(v, Handle) or (type(v) is str and bool(v)),
    "a Handle or a contract's name",
).raising(ContractArgumentError)
_WHERE = Check(lambda v: isinstance(v, Mapping), "a mapping").raising(ContractArgumentError)
_CALL = integer(minimum=1).raising(ContractArgumentError)


@command(id=190, module="contract")
class Open(Command[Handle]):
    """Find a binding of ``contract``: by ``binding`` name, else the first whose metadata
    holds every ``where`` item, else (neither given) the first binding."""

    contract: str = attrs.field(validator=_NAME)
    binding: str | None = attrs.field(default=None, validator=_OPTIONAL)
    where: Mapping[str, object] = attrs.field(
        factory=dict[str, object], kw_only=True, hash=False, validator=_WHERE
    )


@command(id=191, module="contract")
class Call(Command[Any]):
    """Call ``method`` with ``input`` and wait for its checked output."""

    target: Handle | str = attrs.field(validator=_TARGET)
    method: str = attrs.field(validator=_NAME)
    input: Any = None


@command(id=192, module="contract")
class AsyncCall(Command[int]):
    """Start a call and return its number at once; a :class:`ContractResult` follows."""

    target: Handle | str = attrs.field(validator=_TARGET)
    method: str = attrs.field(validator=_NAME)
    input: Any = None


@command(id=193, module="contract")
class AsyncCancel(Command[bool]):
    """Cancel an AsyncCall; True if it was still running (then no result arrives)."""

    call: int = attrs.field(validator=_CALL)


@attrs.frozen
class ContractResult(Event):
    """The outcome of an AsyncCall: ``result``, or ``error`` when it failed."""

    call: int
    result: object
    error: BaseException | None
