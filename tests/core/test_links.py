"""Links: bidirectional; abnormal exits propagate or arrive as LinkDown; normal ones do not."""

from __future__ import annotations

import pytest
import trio.testing

import actorkit


async def wait_forever(proc: actorkit.Process) -> None:
    await proc.receive(topic="never")


async def fail_on_message(proc: actorkit.Process) -> str:
    msg = await proc.receive()
    if msg.topic == "fail":
        raise RuntimeError("asked to fail")
    return "ok"


async def link_to(proc: actorkit.Process, target: actorkit.PID) -> None:
    await proc.link(target)
    await proc.receive(topic="never")


async def test_links_abnormal_exit_stops_a_linked_process(node: actorkit.Node) -> None:
    async with node.process() as proc:
        worker = await proc.spawn(fail_on_message)
        partner = await proc.spawn(link_to, worker, monitor=True)
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(worker, "fail")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.pid == partner
    assert isinstance(exit_event.error, actorkit.LinkedExitError)
    assert exit_event.error.pid == worker
    assert isinstance(exit_event.error.error, RuntimeError)


async def test_links_are_bidirectional(node: actorkit.Node) -> None:
    async with node.process() as proc:
        worker = await proc.spawn(fail_on_message, monitor=True)
        partner = await proc.spawn(link_to, worker)
        await trio.testing.wait_all_tasks_blocked()
        await proc.terminate(partner, "partner gone")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.pid == worker
    assert exit_event.reason == "linked"


async def test_links_trapping_process_gets_link_down(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        worker = await proc.spawn(fail_on_message, link=True)
        await proc.send(worker, "fail")
        down = await proc.receive(kind=actorkit.LinkDown)
        assert proc.alive
    assert down.pid == worker
    assert isinstance(down.error, RuntimeError)


async def test_links_trap_links_can_be_set_at_run_time(node: actorkit.Node) -> None:
    async def trapper(proc: actorkit.Process) -> str:
        proc.trap_links = True
        worker = await proc.spawn(fail_on_message, link=True)
        await proc.send(worker, "fail")
        down = await proc.receive(kind=actorkit.LinkDown)
        return type(down.error).__name__

    assert await node.exec(trapper) == "RuntimeError"


async def test_links_normal_exit_notifies_no_link(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        worker = await proc.spawn(fail_on_message, link=True, monitor=True)
        partner = await proc.spawn(link_to, worker)
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(worker, "finish")
        exit_event = await proc.receive(kind=actorkit.Exit)
        await trio.testing.wait_all_tasks_blocked()
        assert exit_event.reason == "normal"
        assert len(proc.mailbox) == 0
        partner_state = node.resolve(partner)
        assert partner_state is not None and partner_state.alive


async def test_links_terminated_exit_propagates(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        worker = await proc.spawn(wait_forever, link=True)
        await proc.terminate(worker, "bye")
        down = await proc.receive(kind=actorkit.LinkDown)
    assert isinstance(down.error, actorkit.TerminatedError)


async def test_links_chain_takes_down_every_member(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        tail = await proc.spawn(fail_on_message)
        middle = await proc.spawn(link_to, tail, monitor=True)
        head = await proc.spawn(link_to, middle, link=True)
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(tail, "fail")
        middle_exit = await proc.receive(kind=actorkit.Exit)
        head_down = await proc.receive(kind=actorkit.LinkDown)
    assert middle_exit.reason == "linked"
    assert head_down.pid == head
    head_error = head_down.error
    assert isinstance(head_error, actorkit.LinkedExitError)
    assert head_error.pid == middle
    assert isinstance(head_error.error, actorkit.LinkedExitError)
    assert head_error.error.pid == tail


async def test_links_unlink_stops_propagation(node: actorkit.Node) -> None:
    async with node.process(trap_links=True) as proc:
        worker = await proc.spawn(fail_on_message, link=True, monitor=True)
        await proc.unlink(worker)
        await proc.send(worker, "fail")
        exit_event = await proc.receive(kind=actorkit.Exit)
        await trio.testing.wait_all_tasks_blocked()
        assert exit_event.reason == "error"
        assert len(proc.mailbox) == 0


async def test_links_link_to_dead_pid_fails(node: actorkit.Node) -> None:
    async with node.process() as proc:
        worker = await proc.spawn(fail_on_message, monitor=True)
        await proc.send(worker, "finish")
        await proc.receive(kind=actorkit.Exit)
        with pytest.raises(actorkit.NoProcessError, match="cannot link"):
            await proc.link(worker)
        with pytest.raises(actorkit.NoProcessError):
            await proc.link("no-such-name")
