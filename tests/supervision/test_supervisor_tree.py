"""Supervisors nested into trees, and ordered shutdown."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.lowlevel import ProcessRef

from .supervision_kit import NO_BACKOFF, Recorder, crasher, kill, live, spec, stubborn


def app(sub_max_restarts: int = 3) -> actorkit.Supervisor:
    """root (one_for_one): a, sub (one_for_all: c, d), e."""
    sub = actorkit.Supervisor(
        [spec("c"), spec("d")],
        strategy="one_for_all",
        backoff=NO_BACKOFF,
        max_restarts=sub_max_restarts,
    )
    return actorkit.Supervisor(
        [spec("a"), actorkit.ChildSpec("sub", sub, name="sub"), spec("e")], backoff=NO_BACKOFF
    )


async def tree_pids(proc: actorkit.Process) -> dict[str, actorkit.PID | None]:
    root = await actorkit.SupervisorClient(proc, "root").which_children()
    sub = await actorkit.SupervisorClient(proc, "sub").which_children()
    return {c.id: c.pid for c in [*root, *sub]}


async def test_nested_supervisor_restarts_its_own_children(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    node.spawn(app(), name="root")
    async with node.process() as proc:
        before = await tree_pids(proc)
        await kill(proc, "c", "exception")
        after = await tree_pids(proc)
    assert [(r.path, r.child) for r in recorder.restarts] == [("root/sub", "c"), ("root/sub", "d")]
    assert {k for k in before if before[k] != after[k]} == {"c", "d"}
    assert set(live(node)) == {node.whereis("root"), *after.values()}


async def test_killed_sub_supervisor_takes_its_children_and_is_restarted(
    node: actorkit.Node,
) -> None:
    recorder = Recorder().attach(node)
    node.spawn(app(), name="root")
    async with node.process() as proc:
        before = await tree_pids(proc)
        count = len(live(node))
        await kill(proc, "sub", "terminate")
        after = await tree_pids(proc)
        assert len(live(node)) == count
    assert recorder.restarted() == ["sub"]
    assert {k for k in before if before[k] != after[k]} == {"sub", "c", "d"}
    assert recorder.exits[:3] == ["sub", "c", "d"] or recorder.exits[:3] == ["sub", "d", "c"]


async def test_supervisor_ignores_a_linked_crash_that_is_not_its_parents(
    node: actorkit.Node,
) -> None:
    recorder = Recorder().attach(node)
    node.spawn(app(), name="root")
    async with node.process() as proc:
        before = await tree_pids(proc)
        await kill(proc, "sub", "linked")
        after = await tree_pids(proc)
    assert after == before
    assert recorder.restarts == []


async def test_sub_supervisor_giving_up_escalates_to_its_parent(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    node.spawn(app(sub_max_restarts=0), name="root")
    async with node.process() as proc:
        await tree_pids(proc)
        await kill(proc, "d", "exception")
        after = await tree_pids(proc)
    assert recorder.gave_up == ["root/sub"]
    assert [(r.path, r.child, r.reason) for r in recorder.restarts] == [("root", "sub", "error")]
    assert all(pid is not None for pid in after.values())


async def test_killing_the_root_leaves_no_orphans(node: actorkit.Node) -> None:
    root = node.spawn(app(), name="root")
    async with node.process() as proc:
        await tree_pids(proc)
        assert len(live(node)) == 6
        await proc.terminate(root, "brutal kill")
        await trio.testing.wait_all_tasks_blocked()
    assert live(node) == set()


async def test_failure_of_the_spawning_process_stops_the_tree(node: actorkit.Node) -> None:
    async def owner(proc: actorkit.Process) -> None:
        await proc.spawn(app(), link=True, monitor=True, name="root")
        await proc.receive(topic="fail")
        raise RuntimeError("owner failed")

    recorder = Recorder().attach(node)
    owner_pid = node.spawn(owner)
    await trio.testing.wait_all_tasks_blocked()
    async with node.process() as proc:
        await tree_pids(proc)
        root = proc.whereis("root")
        assert root is not None
        await proc.monitor(root)
        await proc.send(owner_pid, "fail")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.reason == "linked"
    assert live(node) == set()
    assert recorder.exits[-6:] == ["e", "d", "c", "sub", "a", "root"]


# -- ordered shutdown -------------------------------------------------------------------------


async def test_cancel_stops_the_tree_in_reverse_start_order(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        root = await proc.spawn(app(), name="root", monitor=True)
        await tree_pids(proc)
        await proc.cancel(root, "shutdown")
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert exit_event.reason == "normal"
    assert recorder.exits == ["e", "d", "c", "sub", "a", "root"]
    assert live(node) == set()


async def test_shutdown_gives_each_child_its_grace_in_turn(node: actorkit.Node) -> None:
    children = [
        actorkit.ChildSpec("first", stubborn, (2.0,), name="first", shutdown=10.0),
        actorkit.ChildSpec("second", stubborn, (100.0,), name="second", shutdown=3.0),
        actorkit.ChildSpec("third", stubborn, (100.0,), name="third", shutdown="brutal"),
    ]
    recorder = Recorder().attach(node)
    times: dict[str, float] = {}
    async with node.process() as proc:
        root = await proc.spawn(actorkit.Supervisor(children), name="root", monitor=True)
        await actorkit.SupervisorClient(proc, root).which_children()
        start = trio.current_time()

        def exited(state: ProcessRef, _result: object, _error: BaseException | None) -> None:
            times[str(state.name)] = trio.current_time() - start

        lowlevel.add_exit_hook(node, exited)
        await proc.cancel(root)
        await proc.receive(kind=actorkit.Exit)
    assert recorder.exits == ["third", "second", "first", "root"]
    assert times["third"] == 0.0  # brutal: killed at once
    assert times["second"] == pytest.approx(3.0)  # ignored Cancel: killed after its grace
    assert times["first"] == pytest.approx(5.0)  # cleaned up within its grace
    assert times["root"] == pytest.approx(5.0)


async def test_initial_child_that_cannot_start_fails_the_supervisor(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        await proc.spawn(stubborn, 1.0, name="taken")
        sup = actorkit.Supervisor(
            [spec("a"), spec("b"), actorkit.ChildSpec("c", stubborn, (1.0,), name="taken")]
        )
        await proc.spawn(sup, monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert {node.resolve(p).name for p in live(node)} == {"taken"}  # type: ignore[union-attr]
    assert isinstance(exit_event.error, actorkit.NameTakenError)
    assert recorder.exits[:2] == ["b", "a"]


async def test_restart_that_cannot_start_counts_as_a_failure(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    start = trio.current_time()
    async with node.process() as proc:
        sup = actorkit.Supervisor(
            [actorkit.ChildSpec("c", crasher, name="c")],
            backoff=actorkit.Backoff(initial=1.0, jitter=0),
            max_restarts=2,
        )
        await proc.spawn(sup, monitor=True)
        await trio.testing.wait_all_tasks_blocked()
        await proc.spawn(stubborn, 1.0, name="c")  # takes the name while c backs off
        exit_event = await proc.receive(kind=actorkit.Exit)
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child == "c"
    assert recorder.restarts == []
    assert trio.current_time() - start == pytest.approx(3.0)  # failures at 0, 1 and 3 s


async def test_nested_tree_is_whole_when_the_root_first_answers(node: actorkit.Node) -> None:
    deep = actorkit.Supervisor([spec("x")])
    middle = actorkit.Supervisor([actorkit.ChildSpec("deep", deep), spec("y")])
    node.spawn(actorkit.Supervisor([actorkit.ChildSpec("middle", middle)]), name="root")
    async with node.process() as proc:
        await actorkit.SupervisorClient(proc, "root").which_children()
        names = {node.resolve(pid).function for pid in live(node)}  # type: ignore[union-attr]
        assert len(live(node)) == 5
    assert names == {"Supervisor", "worker"}


async def test_nested_supervisor_that_cannot_start_fails_its_parent(node: actorkit.Node) -> None:
    recorder = Recorder().attach(node)
    async with node.process() as proc:
        await proc.spawn(stubborn, 1.0, name="d")  # holds the name the sub's child d wants
        await proc.spawn(app(), name="root", monitor=True)
        exit_event = await proc.receive(kind=actorkit.Exit)
        assert {node.resolve(p).name for p in live(node)} == {"d"}  # type: ignore[union-attr]
    assert isinstance(exit_event.error, actorkit.SupervisorError)
    assert "child 'sub' failed to start" in str(exit_event.error)
    assert isinstance(exit_event.error.__cause__, actorkit.NameTakenError)
    assert recorder.exits[:3] == ["c", "sub", "a"]
