"""Dynamic children through SupervisorClient: start, terminate, restart, delete, list."""

from __future__ import annotations

import math

import pytest
import structlog.testing
import trio
import trio.testing

import actorkit
from actorkit._api._process import state_of

from .supervision_kit import NO_BACKOFF, Recorder, kill, live, spec, stubborn


async def test_start_child_appends_a_running_child(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")], backoff=NO_BACKOFF), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        pid = await client.start_child(spec("b"))
        children = await client.which_children()
    assert [(c.id, c.status, c.restart) for c in children] == [
        ("a", "running", "permanent"),
        ("b", "running", "permanent"),
    ]
    assert children[1].pid == pid
    assert node.whereis("b") == pid


async def test_dynamic_child_is_restarted_like_a_static_one(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    node.spawn(actorkit.Supervisor(backoff=NO_BACKOFF), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        first = await client.start_child(spec("b"))
        await kill(proc, "b", "exception")
        children = await client.which_children()
    assert recorder.restarted() == ["b"]
    assert children[0].pid not in (None, first)


async def test_start_child_with_a_taken_id_is_refused(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()
        count = len(live(node))
        with pytest.raises(actorkit.SupervisorError, match="'a' exists"):
            await client.start_child(actorkit.ChildSpec("a", stubborn, (1.0,)))
        assert len(live(node)) == count


async def test_start_child_with_a_taken_name_fails_and_adds_nothing(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with pytest.raises(actorkit.NameTakenError):
            await client.start_child(actorkit.ChildSpec("other", stubborn, (1.0,), name="a"))
        children = await client.which_children()
    assert [c.id for c in children] == ["a"]


async def test_terminate_child_stops_it_and_keeps_its_spec(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a"), spec("b")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        old = await client.which_children()
        await client.terminate_child("a")
        assert node.resolve(old[0].pid or "a") is None
        children = await client.which_children()
        assert [(c.id, c.status, c.pid) for c in children] == [
            ("a", "stopped", None),
            ("b", "running", old[1].pid),
        ]
        new = await client.restart_child("a")
        children = await client.which_children()
    assert children[0].pid == new
    assert new != old[0].pid
    assert [c.id for c in children] == ["a", "b"]  # start order is kept


async def test_terminate_child_gives_the_grace_period_then_kills(node: actorkit.Node) -> None:
    slow = actorkit.ChildSpec("slow", stubborn, (100.0,), shutdown=3.0)
    node.spawn(actorkit.Supervisor([slow]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        before = trio.current_time()
        await client.terminate_child("slow")
        assert trio.current_time() - before == pytest.approx(3.0)
        assert len(live(node)) == 1


async def test_terminate_temporary_child_forgets_it(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("t", "temporary")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.terminate_child("t")
        assert await client.which_children() == []


async def test_delete_child_forgets_a_stopped_child(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a"), spec("b")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with pytest.raises(actorkit.SupervisorError, match="'a' is running"):
            await client.delete_child("a")
        await client.terminate_child("a")
        await client.delete_child("a")
        children = await client.which_children()
        await client.start_child(spec("a"))
        after = await client.which_children()
    assert [c.id for c in children] == ["b"]
    assert [c.id for c in after] == ["b", "a"]


@pytest.mark.parametrize("op", ["terminate_child", "restart_child", "delete_child"])
async def test_unknown_child_id_is_refused(node: actorkit.Node, op: str) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with pytest.raises(actorkit.SupervisorError, match="no child with id 'zz'"):
            await getattr(client, op)("zz")


async def test_restart_child_of_a_running_child_is_refused(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with pytest.raises(actorkit.SupervisorError, match="'a' is running"):
            await client.restart_child("a")


async def test_start_child_rejects_what_is_not_a_child_spec(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor(), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with pytest.raises(actorkit.SupervisorError, match="expects a ChildSpec"):
            await client.start_child("not a spec")  # type: ignore[arg-type]


# -- the client's side ----------------------------------------------------------------------


async def test_client_of_an_unknown_supervisor_raises_no_process(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.NoProcessError):
            await actorkit.SupervisorClient(proc, "nobody").which_children()


async def test_client_wait_ends_when_the_supervisor_dies(node: actorkit.Node) -> None:
    slow = actorkit.ChildSpec("slow", stubborn, (100.0,), shutdown=50.0)
    sup = node.spawn(actorkit.Supervisor([slow]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        await client.which_children()

        async def kill_sup_soon() -> None:
            await trio.sleep(1.0)
            node.resolve(sup).signal_exit(actorkit.TerminatedError("test"))  # type: ignore[union-attr]

        async with trio.open_nursery() as nursery:
            nursery.start_soon(kill_sup_soon)
            with pytest.raises(actorkit.NoProcessError, match="exited during terminate_child"):
                await client.terminate_child("slow")
        await trio.testing.wait_all_tasks_blocked()
        assert len(proc.mailbox) == 0  # no stray Exit left behind
        assert not state_of(proc).monitoring


async def test_client_timeout_raises_too_slow(node: actorkit.Node) -> None:
    slow = actorkit.ChildSpec("slow", stubborn, (100.0,), shutdown=50.0)
    node.spawn(actorkit.Supervisor([slow]), name="sup")
    async with node.process() as proc:
        waiting = actorkit.SupervisorClient(proc, "sup", timeout=1.0)
        await waiting.which_children()
        with pytest.raises(trio.TooSlowError):
            await waiting.terminate_child("slow")
        assert not state_of(proc).monitoring


async def test_client_keeps_the_callers_own_monitor(node: actorkit.Node) -> None:
    slow = actorkit.ChildSpec("slow", stubborn, (100.0,), shutdown=50.0)
    async with node.process() as proc:
        sup = await proc.spawn(actorkit.Supervisor([slow]), name="sup", monitor=True)
        client = actorkit.SupervisorClient(proc, sup)
        await client.which_children()
        assert state_of(proc).monitoring
        await proc.terminate(sup)
        with pytest.raises(actorkit.NoProcessError):
            await client.which_children()
        exit_event = await proc.receive(kind=actorkit.Exit, timeout=0)
    assert exit_event.pid == sup


@pytest.mark.parametrize(
    ("field", "target", "timeout"),
    [
        ("target", None, None),
        ("target", "", None),
        ("target", 5, None),
        ("timeout", "sup", -1.0),
        ("timeout", "sup", math.nan),
        ("timeout", "sup", "1"),
        ("timeout", "sup", True),
    ],
)
async def test_client_refuses_bad_options_at_once(
    node: actorkit.Node, field: str, target: object, timeout: object
) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.SupervisorError, match=f"^SupervisorClient: {field} must be"):
            actorkit.SupervisorClient(proc, target, timeout=timeout)  # type: ignore[arg-type]


async def test_client_takes_any_timeout_from_now_to_never(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        assert actorkit.SupervisorClient(proc, "sup", timeout=0).timeout == 0
        children = await actorkit.SupervisorClient(proc, "sup", timeout=math.inf).which_children()
    assert [c.id for c in children] == ["a"]


async def test_a_stray_message_is_logged_and_the_supervisor_keeps_answering(
    node: actorkit.Node,
) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        client = actorkit.SupervisorClient(proc, "sup")
        with structlog.testing.capture_logs() as logs:
            await proc.send("sup", "hello", 1)
            await proc.send("sup", "$supervisor", "not an operation")
            children = await client.which_children()
    assert [c.id for c in children] == ["a"]
    stray = [e for e in logs if e["event"] == "supervisor_unexpected_event"]
    assert len(stray) == 2
    assert "hello" in stray[0]["unexpected"]


async def test_a_late_answer_from_a_supervisor_is_dropped(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor([spec("a")]), name="sup")
    async with node.process() as proc:
        slow = actorkit.SupervisorClient(proc, "sup", timeout=0)
        with pytest.raises(trio.TooSlowError):
            await slow.which_children()
        children = await actorkit.SupervisorClient(proc, "sup").which_children()
        assert [c.id for c in children] == ["a"]
        await trio.testing.wait_all_tasks_blocked()
        with pytest.raises(trio.TooSlowError):  # nothing was left behind in the inbox
            await proc.receive(kind=actorkit.Event, timeout=0)
