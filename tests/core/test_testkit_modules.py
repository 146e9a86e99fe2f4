"""The test kit boots an application's modules: open_test_node, the marker, the fixture."""

from __future__ import annotations

import time
from collections.abc import Sequence

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock, embedded, store
from actorkit.testing import open_test_node


@actorkit.command(id=40610)
class Double(actorkit.Command[int]):
    value: int


async def double(ctx: actorkit.HandlerContext, cmd: Double) -> int:
    return cmd.value * 2


APP_MODULES = [clock.module(), actorkit.handlers("double", {Double: double})]


@pytest.fixture
def actorkit_modules() -> Sequence[actorkit.Component]:
    return [store.memory("cache")]  # this file's default for the node fixture


async def nap_and_double(proc: actorkit.Process, value: int) -> int:
    await proc.call(clock.Sleep(3600.0))
    return await proc.call(Double(value))


async def test_testkit_open_test_node_takes_a_list_with_the_clock(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=APP_MODULES) as node:
        assert await node.exec(nap_and_double, 4) == 8
    async with open_test_node(modules=embedded()) as node, node.process() as proc:
        await proc.call(store.Set("default", "k", 1))  # embedded(): clock, event, pg, ...
        assert await proc.call(store.Get("default", "k")) == 1


async def test_testkit_open_test_node_still_refuses_two_other_duplicates() -> None:
    with pytest.raises(actorkit.BootError, match=r"two components are named 'store\.x'"):
        async with open_test_node(modules=[store.memory("x"), store.memory("x")]):
            pass  # pragma: no cover


@pytest.mark.actorkit(modules=APP_MODULES, shutdown_grace=0.5)
async def test_testkit_marker_gives_the_node_fixture_modules(node: actorkit.Node) -> None:
    real_start = time.perf_counter()
    assert await node.exec(nap_and_double, 21) == 42  # an hour, on the autojump clock
    assert time.perf_counter() - real_start < 5.0
    assert node.shutdown_grace == 0.5
    async with node.process() as proc:  # the marker's modules replace actorkit_modules
        with pytest.raises(actorkit.UnknownCommandError):
            await proc.call(store.Get("cache", "k"))


async def test_testkit_overridden_fixture_gives_the_node_modules(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.call(store.Set("cache", "greeting", "hello"))
        assert await proc.call(store.Get("cache", "greeting")) == "hello"


async def counter(proc: actorkit.Process, test: actorkit.PID) -> None:
    total = 0
    await proc.send(test, "ready")  # the handshake: only now may the test send
    async for msg in proc.messages():
        assert isinstance(msg.payload, int)
        total += msg.payload
        await proc.send(test, "total", total)


async def test_testkit_ready_handshake_orders_the_spawn(node: actorkit.Node) -> None:
    async with node.process() as test:
        node.spawn(counter, test.pid, name="counter")
        await test.receive("ready", timeout=1)
        await test.send("counter", "add", 2)
        await test.send("counter", "add", 3)
        totals = [(await test.receive("total", timeout=1)).payload for _ in range(2)]
    assert totals == [2, 5]
