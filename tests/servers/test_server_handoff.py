"""The direct hand-off: a call to an idle server with a synchronous ``handle_call`` runs it
on the caller's turn, as the server; every rule of a call holds either way (each test runs
with the hand-off on and off, see conftest.py)."""

from __future__ import annotations

import pytest
import structlog
import trio

import actorkit
from actorkit.servers import CallResult, NoReply, Server, Stop, call, cast

Seen = list[tuple[str, object]]


class Probe(Server[int]):
    """Counts casts; each call tells what it saw (its task, its log context, ``current``)."""

    def init(self, proc: actorkit.Process, seen: Seen) -> int:
        self.seen = seen
        self.task = trio.lowlevel.current_task()
        return 0

    def handle_call(self, request: object, state: int) -> CallResult[int]:  # noqa: PLR0911 (one case per rule)
        self.seen.append(("task", trio.lowlevel.current_task()))
        self.seen.append(("log pid", structlog.contextvars.get_contextvars().get("pid")))
        match request:
            case "count":
                return state, state
            case "current":
                assert self.current is not None
                return (self.current.sender, self.current.deadline), state
            case "reply first":
                assert self.current is not None
                self.reply(self.current, "first")
                return "second", state
            case "later":
                self.later = self.current
                return NoReply(state + 100)
            case "stop":
                return Stop(state, reply="bye", reason="asked")
            case "send":
                self.proc.send_nowait(self.seen_by, "from server", state)
                return "sent", state
            case "bad shape":
                return "just one"  # type: ignore[return-value]
            case _:
                raise ValueError(request)

    def handle_cast(self, msg: object, state: int) -> int:
        if msg == "answer later":
            assert self.later is not None
            self.reply(self.later, state)
            return state
        if isinstance(msg, actorkit.PID):
            self.seen_by = msg
            return state
        return state + 1

    def terminate(self, reason: str, state: int) -> None:
        self.seen.append(("terminate", (reason, state)))


async def start(proc: actorkit.Process, seen: Seen) -> actorkit.PID:
    pid = await Probe.start(proc, seen, name="probe")
    await call(proc, "probe", "count")  # it has run init and is parked in its loop
    seen.clear()
    return pid


async def test_the_call_runs_on_the_callers_turn_only_with_the_hand_off(
    node: actorkit.Node,
) -> None:
    seen: Seen = []
    async with node.process() as proc:
        pid = await start(proc, seen)
        await call(proc, pid, "count")
    ran_in_caller = seen[0] == ("task", trio.lowlevel.current_task())
    assert ran_in_caller == node.direct_handoff


async def test_the_handler_logs_and_sends_as_the_server(node: actorkit.Node) -> None:
    seen: Seen = []
    async with node.process() as proc:
        pid = await start(proc, seen)
        await cast(proc, pid, proc.pid)
        assert await call(proc, pid, "send") == "sent"
        msg = await proc.receive("from server", timeout=1)
    assert msg.sender == pid
    assert ("log pid", str(pid)) in seen


async def test_calls_and_casts_keep_their_order(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        for expected in range(1, 6):
            await cast(proc, pid, "bump")
            assert await call(proc, pid, "count") == expected


async def test_current_is_the_callers_request(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        sender, deadline = await call(proc, pid, "current", timeout=3)
    assert sender == proc.pid
    assert deadline == pytest.approx(trio.current_time() + 3, abs=0.5)


async def test_a_reply_sent_first_wins(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        assert await call(proc, pid, "reply first") == "first"
        assert await call(proc, pid, "count") == 0
        assert len(proc.mailbox) == 0


async def test_no_reply_keeps_its_state_and_answers_later(node: actorkit.Node) -> None:
    async with node.process() as proc, trio.open_nursery() as nursery:
        pid = await start(proc, [])

        async def answer_later() -> None:
            async with node.process() as other:
                await trio.sleep(1)
                await cast(other, pid, "answer later")

        nursery.start_soon(answer_later)
        assert await call(proc, pid, "later") == 100


async def test_a_crash_exits_the_server_and_fails_the_caller(node: actorkit.Node) -> None:
    seen: Seen = []
    async with node.process() as proc:
        pid = await start(proc, seen)
        await cast(proc, pid, "bump")
        with pytest.raises(actorkit.RequestFailedError) as failed:
            await call(proc, pid, "nonsense")
        exit_ = await node.wait(pid)
    assert (failed.value.pid, failed.value.reason) == (pid, "error")
    assert isinstance(failed.value.error, ValueError)
    assert exit_.reason == "error" and isinstance(exit_.error, ValueError)
    assert ("terminate", ("error", 1)) in seen


async def test_a_malformed_answer_crashes_the_server(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        with pytest.raises(actorkit.RequestFailedError) as failed:
            await call(proc, pid, "bad shape")
    assert failed.value.pid == pid and failed.value.reason == "error"


async def test_stop_replies_and_the_server_is_gone_when_call_returns(
    node: actorkit.Node,
) -> None:
    seen: Seen = []
    async with node.process() as proc:
        pid = await start(proc, seen)
        assert await call(proc, pid, "stop") == "bye"
        assert seen[-1] == ("terminate", ("asked", 0))
        with pytest.raises(actorkit.NoProcessError):
            await call(proc, pid, "count")
    assert (await node.wait(pid)).reason == "normal"


async def test_a_cancelled_caller_does_not_call(node: actorkit.Node) -> None:
    seen: Seen = []
    async with node.process() as proc:
        pid = await start(proc, seen)
        with trio.CancelScope() as scope:
            scope.cancel()
            await call(proc, pid, "count")
        assert scope.cancelled_caught
        if node.direct_handoff:  # (through the mailbox the request is queued, then dropped)
            assert seen == []
        assert await call(proc, pid, "count") == 0


async def test_a_bad_timeout_is_refused(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        with pytest.raises(ValueError, match="timeout"):
            await call(proc, pid, "count", timeout=-1)


async def test_a_server_stopped_from_outside_is_not_called(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await start(proc, [])
        proc.trap_links = True
        await proc.link(pid)
        with trio.CancelScope(shield=True):
            node.resolve(pid).signal_exit(actorkit.TerminatedError("stop"))  # type: ignore[union-attr]
            with pytest.raises((actorkit.RequestFailedError, actorkit.NoProcessError)):
                await call(proc, pid, "count")


async def test_the_node_option_must_be_a_bool() -> None:
    with pytest.raises(ValueError, match="direct_handoff"):
        async with actorkit.open_node(direct_handoff=1):  # type: ignore[arg-type]
            pass
