"""AsyncCall (192) and AsyncCancel (193), cancellation, and cleanup when the caller exits."""

from __future__ import annotations

import pytest
import trio

import actorkit
from actorkit.modules.contract import (
    AsyncCall,
    AsyncCancel,
    Call,
    ContractError,
    ContractResult,
    ContractValidationError,
    Handle,
)
from actorkit.testing import open_test_node

from ._kit import LEDGER, Greeting, Pair, Sum, Text, modules

SLOW = Handle("calc", "slow")


async def test_contract_async_call_delivers_a_result_event() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        first = await proc.call(AsyncCall("calc", "add", Pair(1, 1)))
        second = await proc.call(AsyncCall(Handle("calc", "bad"), "add", Pair(1, 1)))
        assert (first, second) == (1, 2)
        events: dict[int, ContractResult] = {}
        for _ in range(2):
            event = await proc.receive(kind=ContractResult)
            events[event.call] = event
        assert events[1] == ContractResult(1, Sum(2), None)
        assert isinstance(events[2].error, ContractValidationError)
        with pytest.raises(ContractValidationError):  # input is checked at once
            await proc.call(AsyncCall("calc", "add", "x"))


async def test_contract_async_cancel_stops_the_binding_and_drops_the_result(
    autojump_clock: trio.abc.Clock,
) -> None:
    LEDGER.cancelled = 0
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        number = await proc.call(AsyncCall(SLOW, "greet", Greeting("x")))
        await trio.testing.wait_all_tasks_blocked()
        assert await proc.call(AsyncCancel(number))
        assert not await proc.call(AsyncCancel(number))
        await trio.testing.wait_all_tasks_blocked()
        assert LEDGER.cancelled == 1
        with trio.move_on_after(200):
            await proc.receive(kind=ContractResult)
            pytest.fail("a cancelled call delivered a result")
        with pytest.raises(ContractError, match="no call 9"):
            await proc.call(AsyncCancel(9))


async def test_contract_call_timeout_cancels_the_binding(autojump_clock: trio.abc.Clock) -> None:
    LEDGER.cancelled = 0
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        with pytest.raises(trio.TooSlowError):
            await proc.call(Call(SLOW, "greet", Greeting("x")), timeout=1)
        await trio.testing.wait_all_tasks_blocked()
        assert LEDGER.cancelled == 1
        assert await proc.call(Call("calc", "greet", Greeting("y"))) == Text("hello y")


async def test_contract_async_calls_end_when_their_process_exits(
    autojump_clock: trio.abc.Clock,
) -> None:
    LEDGER.cancelled = 0

    async def caller(proc: actorkit.Process) -> None:
        await proc.call(AsyncCall(SLOW, "greet", Greeting("x")))
        await proc.call(AsyncCall(SLOW, "greet", Greeting("y")))
        raise RuntimeError("crash with calls in flight")

    async with open_test_node(modules=modules()) as node:
        exit_ = await node.wait(node.spawn(caller))
        assert isinstance(exit_.error, RuntimeError)
        await trio.testing.wait_all_tasks_blocked()
        assert LEDGER.cancelled == 2
