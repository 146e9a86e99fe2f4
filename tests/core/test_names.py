"""Names: a local registry; names work wherever a PID does and are released at exit."""

from __future__ import annotations

import pytest

import actorkit


async def serve_once(proc: actorkit.Process) -> object:
    msg = await proc.receive()
    if msg.topic == "fail":
        raise RuntimeError("failed")
    return msg.payload


async def test_names_register_lookup_unregister(node: actorkit.Node) -> None:
    async with node.process() as proc:
        proc.register("me")
        assert proc.whereis("me") == proc.pid
        assert node.whereis("me") == proc.pid
        assert proc.name == "me"
        assert proc.unregister("me") is True
        assert proc.whereis("me") is None
        assert proc.name is None
        assert proc.unregister("me") is False


async def test_names_work_wherever_a_pid_does(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await proc.spawn(serve_once, name="server", monitor=True)
        assert node.resolve("server") is not None
        await proc.send("server", "job", 42)
        exit_event = await proc.receive(kind=actorkit.Exit)
        await proc.spawn(serve_once, name="other", monitor=True)
        await proc.terminate("other")
        terminated = await proc.receive(kind=actorkit.Exit)
    assert exit_event.result == 42
    assert terminated.reason == "terminated"


@pytest.mark.parametrize("topic", ["finish", "fail"])
async def test_names_released_on_exit(node: actorkit.Node, topic: str) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(serve_once, name="svc", monitor=True)
        await proc.send(pid, topic)
        await proc.receive(kind=actorkit.Exit)
        assert node.whereis("svc") is None
        proc.register("svc")
        assert node.whereis("svc") == proc.pid


async def test_names_taken_name_raises(node: actorkit.Node) -> None:
    async with node.process(name="holder") as holder, node.process() as other:
        with pytest.raises(actorkit.NameTakenError) as info:
            other.register("holder")
        holder.register("holder")  # registering your own name again is fine
    assert info.value.name == "holder"
    assert info.value.owner == holder.pid
    assert str(holder.pid) in str(info.value)


async def test_names_new_name_replaces_the_old_one(node: actorkit.Node) -> None:
    async with node.process() as proc:
        proc.register("first")
        proc.register("second")
        assert (proc.whereis("first"), proc.whereis("second")) == (None, proc.pid)


async def test_names_unregistered_name_can_be_taken(node: actorkit.Node) -> None:
    async with node.process(name="spot") as first, node.process() as second:
        first.unregister("spot")
        second.register("spot")
        assert node.whereis("spot") == second.pid


async def test_names_exited_process_cannot_register(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pass
    with pytest.raises(actorkit.NoProcessError, match="cannot register name"):
        proc.register("late")
    assert node.whereis("late") is None


async def test_names_resolve_rejects_other_types(node: actorkit.Node) -> None:
    with pytest.raises(TypeError, match="not a PID or a name"):
        node.resolve(42)  # type: ignore[arg-type]
    assert node.resolve(actorkit.PID("elsewhere", 1)) is None


async def test_name_of_gives_the_name_not_the_process(node: actorkit.Node) -> None:
    async def idle(proc: actorkit.Process) -> None:
        await proc.receive(kind=actorkit.Cancel)

    named = node.spawn(idle, name="worker")
    plain = node.spawn(idle)
    assert node.name_of(named) == "worker"
    assert node.name_of(plain) is None
    async with node.process() as proc:
        await proc.terminate(named)
    again = node.spawn(idle, name="worker")
    assert node.name_of(named) is None  # the old PID, after a new process took the name
    assert node.name_of(again) == "worker"
