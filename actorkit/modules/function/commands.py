"""Function commands (IDs 140–149, numbered as in Wippy) and the event they deliver.

Fields are checked when a command is built: ``name`` is a non-empty str, ``args`` a tuple
or list (never a str, which would be unpacked), ``kwargs`` a dict with str keys, ``handle``
an int. A wrong field raises ``CommandArgumentError`` naming the command, its ID and the
field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from actorkit.checks import arguments, integer, keywords, text
from actorkit.lowlevel import Command, Event, command, declare_range

declare_range("function", 140, 149)

_NAME = text(non_empty=True)
_ARGS = arguments()
_KWARGS = keywords()


@command(id=140, module="function")
class Call(Command[Any]):
    """Run the function registered as ``name`` with ``args`` / ``kwargs`` and wait.

    The call's result is the function's return value; if the function raises (after the
    retries its policy allows), the call fails with that exception. The function runs under
    the caller's cancel scope: the caller's ``timeout=`` or cancellation cancels it.
    """

    name: str = attrs.field(validator=_NAME)
    args: tuple[object, ...] = attrs.field(default=(), validator=_ARGS)
    kwargs: Mapping[str, object] = attrs.field(
        factory=dict[str, object], hash=False, validator=_KWARGS
    )


@command(id=141, module="function")
class AsyncStart(Command[int]):
    """Start the function registered as ``name`` and return a handle at once.

    The outcome arrives later as a :class:`FunctionResult` event carrying the handle. The
    run belongs to the calling process: it is cancelled when that process exits.
    """

    name: str = attrs.field(validator=_NAME)
    args: tuple[object, ...] = attrs.field(default=(), validator=_ARGS)
    kwargs: Mapping[str, object] = attrs.field(
        factory=dict[str, object], hash=False, validator=_KWARGS
    )


@command(id=142, module="function")
class AsyncCancel(Command[bool]):
    """Cancel a run started with ``AsyncStart``; True if it was still running.

    After ``True`` no ``FunctionResult`` arrives for that handle.
    """

    handle: int = attrs.field(validator=integer())


@attrs.frozen
class FunctionResult(Event):
    """The outcome of an ``AsyncStart``: ``result``, or ``error`` when the function failed.

    Travels on the priority lane, like a ``Completion``: a full mailbox never holds it back.
    """

    handle: int
    result: object
    error: BaseException | None
