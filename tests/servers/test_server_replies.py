"""Deferred replies (``NoReply`` + ``Server.reply``) and ``Stop`` from the callbacks."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.servers import CallResult, NoReply, Server, Stop, call, cast

QState = tuple[list[str], list[actorkit.Request]]


class Queue(Server[QState]):
    """``take`` waits until a job is ``put`` (the reply is deferred); ``close`` stops it."""

    def init(self, proc: actorkit.Process, owner: actorkit.PID) -> QState:
        self.owner = owner
        return [], []

    def handle_call(self, request: object, state: QState) -> CallResult[QState]:
        jobs, waiting = state
        match request:
            case "take" if jobs:
                return jobs[0], (jobs[1:], waiting)
            case "take":
                assert self.current is not None
                return NoReply((jobs, [*waiting, self.current]))
            case "close":
                return Stop(state, reply=len(waiting), reason="closed")
            case _:
                raise ValueError(request)

    def handle_cast(self, msg: object, state: QState) -> QState | Stop[QState]:
        jobs, waiting = state
        if msg == "halt":
            return Stop(state)
        assert isinstance(msg, str)
        while waiting:
            if self.reply(waiting.pop(0), msg):
                return jobs, waiting
        return [*jobs, msg], waiting

    async def terminate(self, reason: str, state: QState) -> None:
        await self.proc.send(self.owner, "terminated", (reason, state[0]))


async def test_a_deferred_reply_answers_a_call_later(node: actorkit.Node) -> None:
    got: list[str] = []

    async def taker(proc: actorkit.Process) -> None:
        got.append(await call(proc, "q", "take"))

    async with node.process() as proc:
        await Queue.start(proc, proc.pid, name="q", link=True)
        waiter = await proc.spawn(taker, monitor=True)
        await trio.testing.wait_all_tasks_blocked()
        assert got == []  # the call waits: handle_call returned NoReply
        await cast(proc, "q", "job-1")
        exit_ = await proc.receive(kind=actorkit.Exit)
    assert (exit_.pid, exit_.reason, got) == (waiter, "normal", ["job-1"])


async def test_a_deferred_reply_skips_a_caller_that_gave_up(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await Queue.start(proc, proc.pid, name="q", link=True)
        with pytest.raises(trio.TooSlowError):
            await call(proc, "q", "take", timeout=0.5)
        await cast(proc, "q", "job-1")  # the reply to the gone caller is dropped: queued
        assert await call(proc, "q", "take") == "job-1"


async def test_stop_from_handle_call_replies_then_terminates(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await Queue.start(proc, proc.pid)
        await proc.monitor(pid)
        await cast(proc, pid, "job-1")
        assert await call(proc, pid, "close") == 0
        assert (await proc.receive(topic="terminated")).payload == ("closed", ["job-1"])
        exit_ = await proc.receive(kind=actorkit.Exit)
    assert (exit_.reason, exit_.error) == ("normal", None)


async def test_stop_from_handle_cast_ends_the_server_normally(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await Queue.start(proc, proc.pid)
        await proc.monitor(pid)
        await cast(proc, pid, "halt")
        assert (await proc.receive(topic="terminated")).payload == ("normal", [])
        assert (await proc.receive(kind=actorkit.Exit)).reason == "normal"
