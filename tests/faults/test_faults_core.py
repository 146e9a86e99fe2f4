"""Core faults: handlers that raise or hang, a full mailbox whose receiver dies, shutdown
under load. Each asserts nothing lost and nothing reported that did not happen."""

from __future__ import annotations

import trio
import trio.testing

import actorkit
from actorkit.modules import clock
from actorkit.testing import open_test_node


@actorkit.command(id=40950)
class Boom(actorkit.Command[int]):
    """Raise in the handler (inline, or from work) when ``fail``; else return ``value``."""

    value: int
    fail: bool
    later: bool


@actorkit.command(id=40951)
class Hang(actorkit.Command[None]):
    """A handler whose work never finishes."""


async def handle_boom(ctx: actorkit.HandlerContext, cmd: Boom) -> int:
    if cmd.later:
        await trio.sleep(1)
    if cmd.fail:
        raise RuntimeError(f"boom {cmd.value}")
    return cmd.value


async def handle_hang(ctx: actorkit.HandlerContext, cmd: Hang) -> None:
    await trio.sleep_forever()


HANDLERS = actorkit.handlers("faults", {Boom: handle_boom, Hang: handle_hang})


async def test_a_raising_handler_fails_only_that_call(
    autojump_clock: trio.testing.MockClock,
) -> None:
    results: list[object] = []
    async with open_test_node(modules=[HANDLERS]) as node, node.process() as proc:
        for value in range(20):
            cmd = Boom(value, fail=value % 3 == 0, later=value % 2 == 0)
            try:
                results.append(await proc.call(cmd))
            except RuntimeError as exc:
                results.append(str(exc))
        assert proc.alive
    assert results == [f"boom {v}" if v % 3 == 0 else v for v in range(20)]


async def test_a_hanging_handler_is_cancelled_with_its_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def hang(proc: actorkit.Process) -> None:
        proc.yield_(Hang())
        await proc.call(Hang())

    async with open_test_node(modules=[HANDLERS]) as node:
        pid = node.spawn(hang)
        await trio.testing.wait_all_tasks_blocked()
        assert len(node.dispatch_nursery.child_tasks) == 2
        async with node.process() as proc:
            assert await proc.terminate(pid) is True
        await trio.testing.wait_all_tasks_blocked()
        assert len(node.dispatch_nursery.child_tasks) == 0
        assert (await node.wait(pid)).reason == "terminated"


async def test_senders_blocked_on_a_full_mailbox_learn_its_receiver_died(
    autojump_clock: trio.testing.MockClock,
) -> None:
    delivered: list[int] = []
    refused: list[int] = []

    async def sender(proc: actorkit.Process, target: actorkit.PID, n: int) -> None:
        try:
            await proc.send(target, "job", n)
        except actorkit.NoProcessError:
            refused.append(n)
        else:
            delivered.append(n)

    async def receiver(proc: actorkit.Process) -> list[int]:
        await proc.call(clock.Sleep(5))  # the senders pile up meanwhile
        taken = [(await proc.receive()).payload for _ in range(3)]
        raise RuntimeError(f"died after taking {taken}")

    async with open_test_node() as node:
        target = node.spawn(receiver, mailbox_size=2)
        senders = [node.spawn(sender, target, n) for n in range(50)]
        for pid in senders:
            await node.wait(pid)
        exit_ = await node.wait(target)
    assert exit_.reason == "error"
    assert sorted(delivered + refused) == list(range(50))  # every send has an answer
    taken = [int(n) for n in str(exit_.error).split("[")[1].rstrip("]").split(", ")]
    assert set(taken) <= set(delivered)  # what it took was reported delivered
    assert len(delivered) - len(taken) <= 2  # the rest died queued: at most the mailbox size
    assert node.dead_letters == len(refused)


async def test_shutdown_under_load_ends_every_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async def busy(proc: actorkit.Process, peer: str) -> None:
        await proc.call(clock.TickerStart(0.5))
        async for msg in proc.messages():
            if msg.topic == "ping" and isinstance(msg.payload, int) and msg.payload > 0:
                await proc.send(peer, "ping", msg.payload - 1)

    exits: list[actorkit.Exit] = []
    async with open_test_node(shutdown_grace=1.0) as node:
        pids = [node.spawn(busy, f"p{(n + 1) % 500}", name=f"p{n}") for n in range(500)]
        for n in range(0, 500, 10):
            await node.send(f"p{n}", "ping", 1000)
        await trio.sleep(3)
        waiters = trio.open_nursery()
        async with waiters as nursery:

            async def wait(pid: actorkit.PID) -> None:
                exits.append(await node.wait(pid))

            for pid in pids:
                nursery.start_soon(wait, pid)
            await trio.testing.wait_all_tasks_blocked()
            await node.shutdown()
    assert len(exits) == 500
    assert {e.reason for e in exits} <= {"normal", "terminated"}
    assert node.statistics().process_count == 0
