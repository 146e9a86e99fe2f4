"""Eval commands (IDs 170–179; Compile 170 and Run 171 numbered as in Wippy, CreateProcess 172).

Every field is checked when the command is built: a wrong one raises
:class:`~.errors.EvalArgumentError` (a ``CommandArgumentError``) naming the command, its ID
and the field. Arguments must cross into Lua by the value mapping (:mod:`.values`).
"""

from __future__ import annotations

from typing import Any, cast

import attrs

from actorkit import PID
from actorkit.checks import Check, flag, integer, text
from actorkit.lowlevel import Command, command, declare_range

from .errors import EvalArgumentError
from .options import Options
from .program import Program
from .values import crossable

declare_range("eval", 170, 179)


def _raising(check: Check) -> Check:
    return check.raising(EvalArgumentError)


def _as_tuple(value: object) -> tuple[Any, ...]:
    if type(value) is list:
        return tuple(cast("list[object]", value))
    return value  # type: ignore[return-value]  # the validator names the wrong value


_SOURCE = _raising(text())
_NAME = _raising(text(non_empty=True))
_OPTIONS = _raising(Check(lambda v: type(v) is Options, "an eval.Options"))
_PROGRAM = _raising(
    Check(lambda v: type(v) is Program or type(v) is str, "an eval.Program or Lua source (str)")
)
_FUNCTION = _raising(text(optional=True, non_empty=True))
_ARGS = _raising(
    Check(
        lambda v: type(v) is tuple and all(crossable(a) for a in cast("tuple[object, ...]", v)),
        "a tuple of values that cross into Lua",
    )
)
_FLAG = _raising(flag())
_MAILBOX = _raising(integer(optional=True, minimum=1))
_PROCESS_NAME = _raising(text(optional=True, non_empty=True))


@command(id=170, module="eval")
class Compile(Command[Program]):
    """Check Lua ``source``; returns a :class:`Program` or fails with ``EvalCompileError``
    (its ``line`` and ``message``)."""

    source: str = attrs.field(validator=_SOURCE)
    name: str = attrs.field(default="program", kw_only=True, validator=_NAME)
    options: Options = attrs.field(factory=Options, kw_only=True, validator=_OPTIONS)


@command(id=171, module="eval")
class Run(Command[Any]):
    """Run a program (or source) in a fresh sandbox and return its result.

    Without ``function`` the chunk runs with ``args`` as ``...``; with it, the chunk runs
    first (defining its functions) and then the global ``function`` is called with ``args``.
    One result comes back as it is, none as None, several as a list.
    """

    program: Program | str = attrs.field(validator=_PROGRAM)
    function: str | None = attrs.field(default=None, kw_only=True, validator=_FUNCTION)
    args: tuple[Any, ...] = attrs.field(
        default=(), kw_only=True, converter=_as_tuple, validator=_ARGS
    )


@command(id=172, module="eval")
class CreateProcess(Command[PID]):
    """Start a Lua process: a child of the caller running the program as a coroutine that
    yields commands; returns its PID. Link, monitor and name are in place before it runs."""

    program: Program | str = attrs.field(validator=_PROGRAM)
    function: str | None = attrs.field(default=None, kw_only=True, validator=_FUNCTION)
    args: tuple[Any, ...] = attrs.field(
        default=(), kw_only=True, converter=_as_tuple, validator=_ARGS
    )
    link: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)
    monitor: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)
    name: str | None = attrs.field(default=None, kw_only=True, validator=_PROCESS_NAME)
    mailbox_size: int | None = attrs.field(default=None, kw_only=True, validator=_MAILBOX)
    trap_links: bool = attrs.field(default=False, kw_only=True, validator=_FLAG)
