"""``async for msg in proc.messages()``: receive in a loop until a ``Cancel`` arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import CancelRequested

if TYPE_CHECKING:
    from ._events import Message
    from ._process import Process


class Messages:
    """The iterator ``proc.messages()`` returns: each ``receive()``, until a ``Cancel``
    (its reason is kept in ``proc.cancel_reason``)."""

    __slots__ = ("_proc",)

    def __init__(self, proc: Process) -> None:
        self._proc = proc

    def __aiter__(self) -> Messages:
        return self

    async def __anext__(self) -> Message:
        try:
            return await self._proc.receive()
        except CancelRequested:
            raise StopAsyncIteration from None
