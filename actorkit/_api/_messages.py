"""``async for msg in proc.messages()``: receive in a loop until a ``Cancel`` arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from .._core._events import Message
from .._core._proc_state import REDUCTIONS
from ..errors import CancelRequested

if TYPE_CHECKING:
    from .._core._proc_state import ProcessState
    from ._process import Process


class Messages:
    """The iterator ``proc.messages()`` returns: each ``receive()``, until a ``Cancel``
    (its reason is kept in ``proc.cancel_reason``)."""

    __slots__ = ("_proc", "_state")

    def __init__(self, proc: Process, state: ProcessState) -> None:
        self._proc = proc
        self._state = state

    def __aiter__(self) -> Messages:
        return self

    async def __anext__(self) -> Message:
        state = self._state
        queue = state.mailbox.queue
        if queue and type(queue[0]) is Message:  # receive's fast path, without its frame
            await trio.lowlevel.checkpoint_if_cancelled()
            state.reductions -= 1
            if state.reductions <= 0:
                state.reductions = REDUCTIONS
                await trio.lowlevel.cancel_shielded_checkpoint()
            return state.mailbox.take(0)  # type: ignore[return-value]
        try:
            return await self._proc.receive()
        except CancelRequested:
            raise StopAsyncIteration from None
