"""Function commands (IDs 140–149, numbered as in Wippy) and the event they deliver."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from actorkit._core._command import Command, command, declare_range
from actorkit._core._events import Event

declare_range("function", 140, 149)


@command(id=140, module="function")
class Call(Command[Any]):
    """Run the function registered as ``name`` with ``args`` / ``kwargs`` and wait.

    The call's result is the function's return value; if the function raises (after the
    retries its policy allows), the call fails with that exception. The function runs under
    the caller's cancel scope: the caller's ``timeout=`` or cancellation cancels it.
    """

    name: str
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = attrs.field(factory=dict[str, object], hash=False)


@command(id=141, module="function")
class AsyncStart(Command[int]):
    """Start the function registered as ``name`` and return a handle at once.

    The outcome arrives later as a :class:`FunctionResult` event carrying the handle. The
    run belongs to the calling process: it is cancelled when that process exits.
    """

    name: str
    args: tuple[object, ...] = ()
    kwargs: Mapping[str, object] = attrs.field(factory=dict[str, object], hash=False)


@command(id=142, module="function")
class AsyncCancel(Command[bool]):
    """Cancel a run started with ``AsyncStart``; True if it was still running.

    After ``True`` no ``FunctionResult`` arrives for that handle.
    """

    handle: int


@attrs.frozen
class FunctionResult(Event):
    """The outcome of an ``AsyncStart``: ``result``, or ``error`` when the function failed.

    Travels on the priority lane, like a ``Completion``: a full mailbox never holds it back.
    """

    handle: int
    result: object
    error: BaseException | None
