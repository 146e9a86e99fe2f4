"""node.statistics(): counters, rates, process states, in-flight commands and the tree."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import clock


async def _idle(proc: actorkit.Process) -> None:
    async for _ in proc.messages():
        pass


async def _sleeper(proc: actorkit.Process) -> None:
    await proc.call(clock.Sleep(60))


async def _parent(proc: actorkit.Process) -> None:
    await proc.spawn(_idle, name="child")
    await proc.receive()


async def test_statistics_counts_messages_and_commands(node: actorkit.Node) -> None:
    pid = node.spawn(_idle, name="idle")
    for i in range(5):
        await node.send(pid, "m", i)
    await trio.testing.wait_all_tasks_blocked()
    stats = node.statistics()
    assert stats.messages == 5
    assert stats.process_count == 1
    (info,) = stats.processes
    assert (info.name, info.status, info.received, info.mailbox) == ("idle", "receiving", 5, 0)


async def test_statistics_rates_are_per_second_since_last_snapshot(node: actorkit.Node) -> None:
    pid = node.spawn(_idle)
    node.statistics()
    await trio.sleep(2)
    for i in range(10):
        await node.send(pid, "m", i)
    await trio.testing.wait_all_tasks_blocked()
    stats = node.statistics()
    assert stats.messages_per_second == 5.0
    assert stats.processes[0].message_rate == 5.0


async def test_statistics_show_the_awaited_command_by_module(node: actorkit.Node) -> None:
    node.spawn(_sleeper)
    await trio.testing.wait_all_tasks_blocked()
    stats = node.statistics()
    assert stats.inflight_by_module == {"clock": 1}
    assert stats.processes[0].status == "waiting"
    assert stats.processes[0].current == "Sleep (id=10)"


async def test_statistics_record_the_spawn_tree(node: actorkit.Node) -> None:
    parent = node.spawn(_parent)
    await trio.testing.wait_all_tasks_blocked()
    infos = {info.name or info.function: info for info in node.statistics().processes}
    assert infos["child"].parent == str(parent)
    assert infos["_parent"].parent is None


async def test_statistics_count_dead_letters_and_runtime_events(node: actorkit.Node) -> None:
    pid = node.spawn(_idle)
    node.cancel(pid)
    await node.wait(pid)
    with pytest.raises(actorkit.NoProcessError):
        await node.send(pid, "late")
    node.emit("supervisor", "restart", "sup/child")
    stats = node.statistics()
    assert stats.dead_letters == 1
    assert stats.restarts == 1
    assert stats.events["process.dead_letter"] == 1


async def test_statistics_count_commands_by_module_with_rates(node: actorkit.Node) -> None:
    async def busy(proc: actorkit.Process, sink: actorkit.PID) -> None:
        for _ in range(3):
            await proc.call(clock.Sleep(1))
        await proc.send(sink, "done")  # the send fast path counts too

    sink = node.spawn(_idle)
    node.statistics()
    await node.wait(node.spawn(busy, sink))
    stats = node.statistics()
    assert stats.commands_by_module == {"clock": 3, "process": 1}
    assert stats.command_rates_by_module == {"clock": 1.0, "process": 1 / 3}
    await trio.sleep(1)
    assert node.statistics().command_rates_by_module == {"clock": 0.0, "process": 0.0}
