"""The Server behaviour: call, cast, info, terminate, crashes, timeouts, supervision."""

from __future__ import annotations

import attrs
import pytest
import trio

import actorkit
from actorkit.modules import clock
from actorkit.servers import Call, Server, call, cast


@attrs.frozen
class Get(Call[int]):
    key: str


@attrs.frozen
class Slow(Call[str]):
    seconds: float


Counts = dict[str, int]


class Counters(Server[Counts]):
    """A server with sync and async callbacks; it reports to ``owner``."""

    def init(self, proc: actorkit.Process, owner: actorkit.PID) -> dict[str, int]:
        self.owner = owner
        return {}

    async def handle_call(
        self, request: object, state: dict[str, int]
    ) -> tuple[object, dict[str, int]]:
        match request:
            case Get(key):
                return state.get(key, 0), state
            case Slow(seconds):
                await self.proc.call(clock.Sleep(seconds))
                return "slept", state
            case _:
                raise ValueError(f"bad request {request!r}")

    def handle_cast(self, msg: object, state: dict[str, int]) -> dict[str, int]:
        assert isinstance(msg, str)
        return {**state, msg: state.get(msg, 0) + 1}

    async def handle_info(self, event: actorkit.Event, state: dict[str, int]) -> dict[str, int]:
        if isinstance(event, actorkit.Message):
            await self.proc.send(self.owner, "info", event.topic)
        return state

    async def terminate(self, reason: str, state: dict[str, int]) -> None:
        await self.proc.send(self.owner, "terminated", (reason, state))


async def test_server_call_and_cast(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await Counters.start(proc, proc.pid, name="c", link=True)
        await cast(proc, "c", "a")
        await cast(proc, "c", "a")
        got: int = await call(proc, "c", Get("a"))
        assert (got, await call(proc, "c", Get("b"))) == (2, 0)


async def test_server_info_gets_other_messages(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await Counters.start(proc, proc.pid, name="c", link=True)
        await proc.send("c", "hello")
        assert (await proc.receive(topic="info", timeout=1)).payload == "hello"


async def test_server_cancel_runs_terminate(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await Counters.start(proc, proc.pid)
        await proc.monitor(pid)
        await cast(proc, pid, "x")
        await proc.cancel(pid, "shutdown")
        done = await proc.receive(topic="terminated", timeout=1)
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
    assert done.payload == ("shutdown", {"x": 1})
    assert exit_.error is None


async def test_server_crash_mid_call_fails_the_caller(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await Counters.start(proc, proc.pid, name="c")
        with pytest.raises(actorkit.RequestFailedError) as failed:
            await call(proc, "c", "nonsense")
        report = await proc.receive(topic="terminated", timeout=1)
    assert failed.value.reason == "error"
    assert isinstance(failed.value.error, ValueError)
    assert report.payload == ("error", {})


async def test_server_reply_after_timeout_is_dropped(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await Counters.start(proc, proc.pid, name="c", link=True)
        with pytest.raises(trio.TooSlowError):
            await call(proc, "c", Slow(2.0), timeout=1.0)
        await trio.sleep(2.0)  # the late reply has been sent by now
        assert await call(proc, "c", Get("a")) == 0  # not the late "slept"
        assert len(proc.mailbox) == 0


async def test_server_not_there(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.NoProcessError):
            await call(proc, "nobody", Get("a"))


class Kv(Server[dict[str, str]]):
    """Version 1 of a key-value server that hands its state over."""

    handover = True

    def init(self, proc: actorkit.Process) -> dict[str, str]:
        return {}

    def handle_call(self, request: object, state: dict[str, str]) -> tuple[object, dict[str, str]]:
        return state.get(str(request)), state

    def handle_cast(self, msg: object, state: dict[str, str]) -> dict[str, str]:
        match msg:
            case (str(key), str(value)):
                return {**state, key: value}
            case _:
                raise ValueError(f"bad cast {msg!r}")


class Kv2(Kv):
    """Version 2 keeps upper-case values."""

    version = 2

    def code_change(self, old_state: dict[str, str], old_version: object) -> dict[str, str]:
        assert old_version == 1
        return {key: value.upper() for key, value in old_state.items()}


async def test_server_under_a_supervisor_restarts(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor(
        [actorkit.ChildSpec("c", Counters.serve, (None,), name="c")],
        backoff=actorkit.Backoff(initial=0),
    )
    async with node.process() as proc:
        await proc.spawn(sup, name="sup", link=True)
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()  # answered once the children have started
        first = proc.whereis("c")
        await cast(proc, "c", "a")
        with pytest.raises(actorkit.RequestFailedError):
            await call(proc, "c", "crash")
        await trio.sleep(0.1)
        assert proc.whereis("c") not in (None, first)
        assert await call(proc, "c", Get("a")) == 0  # a restart after a crash starts afresh


async def test_server_code_change_on_a_new_version(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor([actorkit.ChildSpec("kv", Kv.serve, name="kv")])
    async with node.process() as proc:
        await proc.spawn(sup, name="sup", link=True)
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        await cast(proc, "kv", ("a", "apple"))
        await client.terminate_child("kv")
        await client.delete_child("kv")
        await client.start_child(actorkit.ChildSpec("kv", Kv2.serve, name="kv"))
        assert await call(proc, "kv", "a") == "APPLE"
