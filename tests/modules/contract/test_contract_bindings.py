"""Process and Server bindings, retries, a binding that dies mid-call, and bind/unbind."""

from __future__ import annotations

import pytest
import trio

import actorkit
from actorkit.modules import contract
from actorkit.modules.contract import BindingFailedError, Call, Handle, Open
from actorkit.testing import open_test_node

from ._kit import CalcServer, Greeting, Pair, Sum, Text, calc_process, modules


async def test_contract_a_process_binding_answers_requests() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        await proc.spawn(calc_process, name="calc-proc")
        contract.bind(node, contract.process("calc", "proc", "calc-proc"))
        handle = await proc.call(Open("calc", "proc"))
        assert await proc.call(Call(handle, "add", Pair(4, 2))) == Sum(42)


async def test_contract_a_binding_that_dies_mid_call_fails_the_call() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        pid = await proc.spawn(calc_process, "add")
        contract.bind(node, contract.process("calc", "dying", pid))
        with pytest.raises(BindingFailedError) as caught:
            await proc.call(Call(Handle("calc", "dying"), "add", Pair(1, 2)))
        assert isinstance(caught.value.error, actorkit.RequestFailedError)
        assert "calc.add on binding 'dying' failed" in str(caught.value)
        with pytest.raises(BindingFailedError, match="NoProcessError"):
            await proc.call(Call(Handle("calc", "dying"), "add", Pair(1, 2)))


async def test_contract_a_server_binding_answers_invoke() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        pid = await CalcServer.start(proc)
        contract.bind(node, contract.server("calc", "srv", pid, meta={"kind": "server"}))
        handle = await proc.call(Open("calc", where={"kind": "server"}))
        assert await proc.call(Call(handle, "add", Pair(5, 3))) == Sum(2)
        assert await proc.call(Call(handle, "greet", Greeting("bo"))) == Text("served bo")
        assert contract.unbind(node, "calc", "srv")
        assert not contract.unbind(node, "calc", "srv")
        with pytest.raises(contract.NoContractError):
            await proc.call(Call(handle, "add", Pair(5, 3)))


async def test_contract_retries_what_the_binding_marks_retryable() -> None:
    tries: list[int] = []

    def flaky(pair: Pair) -> Sum:
        tries.append(1)
        if len(tries) < 3:
            raise ConnectionError("try again")
        return Sum(pair.a)

    def broken(pair: Pair) -> Sum:
        tries.append(1)
        raise KeyError("no")

    def down(pair: Pair) -> Sum:
        tries.append(1)
        raise ConnectionError("still down")

    def echo(greeting: Greeting) -> Greeting:
        return greeting

    methods = {"greet": echo}
    flaky_b = contract.functions(
        "calc", "flaky", {"add": flaky, **methods}, retries=2, retryable=(ConnectionError,)
    )
    broken_b = contract.functions(
        "calc", "broken", {"add": broken, **methods}, retries=5, retryable=(ConnectionError,)
    )
    down_b = contract.functions(
        "calc", "down", {"add": down, **methods}, retries=2, retryable=(ConnectionError,)
    )
    async with (
        open_test_node(modules=modules(flaky_b, broken_b, down_b)) as node,
        node.process() as p,
    ):
        assert await p.call(Call(Handle("calc", "flaky"), "add", Pair(7, 0))) == Sum(7)
        assert len(tries) == 3
        tries.clear()
        with pytest.raises(BindingFailedError) as caught:
            await p.call(Call(Handle("calc", "broken"), "add", Pair(7, 0)))
        assert isinstance(caught.value.error, KeyError)
        assert len(tries) == 1  # not retryable: one try
        tries.clear()
        with pytest.raises(BindingFailedError, match="ConnectionError"):
            await p.call(Call(Handle("calc", "down"), "add", Pair(7, 0)))
        assert len(tries) == 3


async def test_contract_a_process_binding_that_never_answers_times_out(
    autojump_clock: trio.abc.Clock,
) -> None:
    async def silent(proc: actorkit.Process) -> None:
        await proc.receive()
        await trio.sleep_forever()

    async with open_test_node(modules=modules()) as node, node.process() as proc:
        pid = await proc.spawn(silent)
        contract.bind(node, contract.process("calc", "silent", pid, timeout=2))
        with pytest.raises(BindingFailedError, match="TooSlowError"):
            await proc.call(Call(Handle("calc", "silent"), "add", Pair(1, 2)))
