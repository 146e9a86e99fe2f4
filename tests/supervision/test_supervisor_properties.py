"""Random crashes, exits and manual stops against a small tree; after every step the
invariants hold: no orphan processes, no restart beyond the intensity limit nor beyond the
limit in a row (each child's attempts count 1, 2, 3 … and start again at 1 only after a
stable run), and in the end
a child stopped by hand is still stopped (its held siblings too) and, once restarted by
hand, the tree is whole; or the root supervisor has exited with a reason naming a child."""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Literal

import attrs
import trio
import trio.testing
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import actorkit
from actorkit.testing import open_test_node

from .supervision_kit import KILLS, How, Recorder, kill, live, spec

Strategy = Literal["one_for_one", "one_for_all", "rest_for_one"]
STRATEGIES: tuple[Strategy, ...] = ("one_for_one", "one_for_all", "rest_for_one")
TARGETS = ("a", "b", "c", "d", "e", "sub")
PARENT = {"a": "root", "b": "root", "sub": "root", "e": "root", "c": "sub"}
Step = tuple[str, str, How] | tuple[str, float] | tuple[str, str]


@attrs.frozen
class Pause:
    """A child stopped by hand (``terminate_child``)."""

    sup: actorkit.PID
    """The supervisor instance that stopped it."""
    since: int
    """How many restarts were recorded then."""


Paused = dict[str, Pause]


@attrs.frozen
class Limits:
    root: Strategy
    sub: Strategy
    max_restarts: int
    period: float
    backoff: float
    stable_period: float

    def tree(self) -> actorkit.Supervisor:
        """root: a (permanent), b (transient), sub [c (permanent), d (temporary)], e."""
        backoff = actorkit.Backoff(initial=self.backoff, factor=2.0, max=4.0, jitter=0.1)
        options = {
            "max_restarts": self.max_restarts,
            "period": self.period,
            "backoff": backoff,
            "stable_period": self.stable_period,
        }
        sub = actorkit.Supervisor(
            [spec("c"), spec("d", "temporary")],
            strategy=self.sub,
            **options,  # type: ignore[arg-type]
        )
        return actorkit.Supervisor(
            [
                spec("a"),
                spec("b", "transient"),
                actorkit.ChildSpec("sub", sub, name="sub"),
                spec("e"),
            ],
            strategy=self.root,
            **options,  # type: ignore[arg-type]
        )


limits = st.builds(
    Limits,
    st.sampled_from(STRATEGIES),
    st.sampled_from(STRATEGIES),
    st.integers(1, 5),
    st.sampled_from([1.0, 5.0, 30.0]),
    st.sampled_from([0.0, 0.25, 1.0]),
    st.sampled_from([0.5, 5.0]),
)
kills = st.tuples(st.just("kill"), st.sampled_from(TARGETS), st.sampled_from(KILLS))
steps = st.lists(
    st.one_of(
        kills,
        kills,
        st.tuples(st.just("stop"), st.sampled_from(("a", "b", "c", "e"))),
        st.tuples(st.just("pause"), st.sampled_from(sorted(PARENT))),
        st.tuples(st.just("wait"), st.sampled_from([0.1, 1.0, 3.0, 10.0])),
        st.tuples(st.just("storm"), st.sampled_from(("a", "b", "c", "e"))),
    ),
    min_size=1,
    max_size=25,
)


async def walk(proc: actorkit.Process) -> dict[str, list[actorkit.ChildInfo]]:
    """Every live supervisor's children, by supervisor name."""
    tree: dict[str, list[actorkit.ChildInfo]] = {}
    for name in ("root", "sub"):
        if proc.whereis(name) is not None:
            tree[name] = await actorkit.SupervisorClient(proc, name).which_children()
    return tree


async def check_no_orphans(node: actorkit.Node, proc: actorkit.Process) -> None:
    tree = await walk(proc)
    if "root" not in tree:
        assert live(node) == set(), "processes outlived the root supervisor"
        return
    expected = {proc.whereis("root")}
    for name, children in tree.items():
        for child in children:
            assert (child.pid is None) == (child.status != "running"), (name, child)
            if child.pid is not None:
                expected.add(child.pid)
    assert live(node) == expected


def check_intensity(recorder: Recorder, limits: Limits) -> None:
    """Each restart decision (time minus backoff) per supervisor instance; at most
    max_restarts fit in any window of ``period`` seconds.

    A supervisor that its parent restarts is a new instance at the same path, with a fresh
    count: restarts are grouped by path and by how often that path itself was restarted.
    """
    decisions: dict[tuple[str, int], set[tuple[str, float]]] = defaultdict(set)
    instance: dict[str, int] = defaultdict(int)
    for r in recorder.restarts:
        decisions[r.path, instance[r.path]].add((r.cause, round(r.time - r.delay, 6)))
        instance[f"{r.path}/{r.child}"] += 1
    for times in decisions.values():
        ordered = sorted(t for _, t in times)
        for i, start in enumerate(ordered):
            # Strictly inside the period: restarts exactly ``period`` apart sit on the boundary,
            # where the clock's float arithmetic may fall either way.
            in_window = [t for t in ordered[i:] if t - start < limits.period - 1e-6]
            assert len(in_window) <= limits.max_restarts, (ordered, limits)


def check_in_a_row(recorder: Recorder, limits: Limits) -> None:
    """Per supervisor instance and child, the restarts its own failures caused: their
    attempt numbers never pass ``max_restarts``, count up by one from 1, and start again at
    1 only when the child had run for the stable period since it last started.

    A child last started by a restart (its own or a sibling's) ran from that restart's time
    to the failure's decision (the next restart's time minus its backoff). Runs within a
    microsecond of the stable period are skipped: the clock's float arithmetic decides them.
    """
    instance: dict[str, int] = defaultdict(int)
    started: dict[tuple[str, int, str], float] = {}
    streak: dict[tuple[str, int, str], int] = defaultdict(int)
    for r in recorder.restarts:
        key = (r.path, instance[r.path], r.child)
        instance[f"{r.path}/{r.child}"] += 1
        if r.cause == r.child:
            assert 1 <= r.attempt <= limits.max_restarts, (r, limits)
            ran = r.time - r.delay - started.get(key, math.inf)
            if ran > limits.stable_period + 1e-6:
                assert r.attempt == 1, (r, ran, limits)
            elif ran < limits.stable_period - 1e-6:  # or the first failure (ran is -inf)
                assert r.attempt == streak[key] + 1, (r, ran, streak[key], limits)
            streak[key] = r.attempt
        started[key] = r.time


async def step(proc: actorkit.Process, action: Step, paused: Paused, recorder: Recorder) -> None:
    if action[0] == "wait":
        await trio.sleep(float(action[1]))
        return
    target = str(action[1])
    if action[0] == "pause":
        await pause(proc, target, paused, len(recorder.restarts))
        return
    if action[0] == "storm":
        await storm(proc, target)
        return
    if proc.whereis(target) is None:
        return
    if action[0] == "stop":
        await proc.send(target, "stop")
    else:
        how: How = action[2]  # type: ignore[misc]
        await kill(proc, target, "terminate" if target == "sub" and how == "exception" else how)


async def storm(proc: actorkit.Process, target: str) -> None:
    """A crash loop: crash ``target`` again each time it is back, 4.5 s apart (past the
    longest backoff), six times, so its restarts in a row pile up."""
    for _ in range(6):
        if proc.whereis(target) is None:
            return
        await kill(proc, target, "exception")
        await trio.sleep(4.5)


async def pause(proc: actorkit.Process, target: str, paused: Paused, since: int) -> None:
    """``terminate_child`` whatever the child's state: running, restarting or stopped."""
    sup = proc.whereis(PARENT[target])
    if sup is not None:
        await actorkit.SupervisorClient(proc, sup).terminate_child(target)
        paused[target] = Pause(sup, since)


async def statuses(proc: actorkit.Process, sup: actorkit.PID) -> dict[str, str]:
    return {c.id: c.status for c in await actorkit.SupervisorClient(proc, sup).which_children()}


async def resume(proc: actorkit.Process, paused: Paused, recorder: Recorder) -> None:
    """A child stopped by hand is still stopped, and nothing restarted on its account since
    (the siblings it holds stayed down); then ``restart_child`` each."""
    # A supervisor restarted since (or gone) is a fresh instance: its pauses are void.
    alive = {t: p for t, p in paused.items() if proc.whereis(PARENT[t]) == p.sup}
    for target, p in alive.items():
        assert (await statuses(proc, p.sup))[target] == "stopped", target
        path = "root" if PARENT[target] == "root" else "root/sub"
        late = [r for r in recorder.restarts[p.since :] if (r.path, r.cause) == (path, target)]
        assert late == [], late
    for target, p in alive.items():
        if (await statuses(proc, p.sup))[target] == "stopped":  # not started with its holder
            await actorkit.SupervisorClient(proc, p.sup).restart_child(target)


async def check_end(
    node: actorkit.Node, proc: actorkit.Process, paused: Paused, recorder: Recorder
) -> str:
    await trio.sleep(1000.0)  # every pending restart has happened
    await trio.testing.wait_all_tasks_blocked()
    await check_no_orphans(node, proc)
    await resume(proc, paused, recorder)
    await trio.testing.wait_all_tasks_blocked()
    await check_no_orphans(node, proc)
    tree = await walk(proc)
    if "root" in tree:
        assert "sub" in tree
        for children in tree.values():
            for child in children:
                assert child.status != "restarting"
                assert child.restart == "transient" or child.status == "running", child
        return "tree whole"
    exit_event = await proc.receive(kind=actorkit.Exit, timeout=0)
    assert isinstance(exit_event.error, actorkit.RestartLimitError)
    assert exit_event.error.child in ("a", "b", "sub", "e")
    return "root gave up"


async def scenario(limits: Limits, actions: list[Step]) -> tuple[str, int]:
    async with open_test_node() as node:
        recorder = Recorder().attach(node)
        async with node.process() as proc:
            await proc.spawn(limits.tree(), name="root", monitor=True)
            await trio.testing.wait_all_tasks_blocked()
            paused: Paused = {}
            for action in actions:
                await step(proc, action, paused, recorder)
                await trio.testing.wait_all_tasks_blocked()
                await check_no_orphans(node, proc)
                check_intensity(recorder, limits)
                check_in_a_row(recorder, limits)
            outcome = await check_end(node, proc, paused, recorder)
            check_intensity(recorder, limits)
            check_in_a_row(recorder, limits)
    for limit in recorder.limits:  # a supervisor gave up (the root or sub)
        outcome += f"; a supervisor broke its {limit} limit"
    return outcome, len(recorder.restarts)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limits, steps)
def test_supervision_tree_invariants_hold_under_random_failures(
    limits: Limits, actions: list[Step]
) -> None:
    clock = trio.testing.MockClock(autojump_threshold=0)
    outcome, restarts = trio.run(scenario, limits, actions, clock=clock)
    event(outcome)
    event("restarts: " + ("none" if not restarts else "1-5" if restarts <= 5 else "more"))
