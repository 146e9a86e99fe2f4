"""A supervision tree as a boot component: start brings the tree up, stop takes it down
in order."""

from __future__ import annotations

import pytest
import trio
import trio.testing

import actorkit
from actorkit.testing import open_test_node

from .supervision_kit import Recorder, live, spec


def tree() -> actorkit.Supervisor:
    sub = actorkit.Supervisor([spec("c"), spec("d")])
    return actorkit.Supervisor([spec("a"), actorkit.ChildSpec("sub", sub, name="sub")])


async def test_tree_component_starts_and_stops_the_tree_in_order(node: actorkit.Node) -> None:
    component = actorkit.supervision_tree("app", tree(), depends_on=["clock"])
    recorder = Recorder().attach(node)
    async with trio.open_nursery() as services:
        boot = actorkit.Boot(node, services)
        assert component.start is not None
        assert component.stop is not None
        await component.start(boot)
        root = node.whereis("app")
        assert root is not None
        assert len(live(node)) == 5  # started before start returned
        await component.stop(boot)
    assert component.depends_on == ("clock",)
    assert recorder.exits == ["d", "c", "sub", "a", "app"]
    assert live(node) == set()


async def test_tree_component_start_fails_when_a_child_cannot_start(node: actorkit.Node) -> None:
    node.spawn(actorkit.Supervisor(), name="a")  # holds the name child a wants
    component = actorkit.supervision_tree("app", tree())
    async with trio.open_nursery() as services:
        assert component.start is not None
        with pytest.raises(actorkit.NoProcessError, match="NameTakenError"):
            await component.start(actorkit.Boot(node, services))
    assert node.whereis("app") is None


async def test_tree_component_stop_after_the_tree_is_gone_does_nothing(
    node: actorkit.Node,
) -> None:
    component = actorkit.supervision_tree("app", tree())
    async with trio.open_nursery() as services:
        boot = actorkit.Boot(node, services)
        assert component.start is not None
        assert component.stop is not None
        await component.start(boot)
        async with node.process() as proc:
            await proc.terminate("app")
        await component.stop(boot)
        await trio.testing.wait_all_tasks_blocked()
    assert live(node) == set()


async def test_tree_component_boots_with_the_node(
    autojump_clock: trio.testing.MockClock,  # the node's shutdown grace is not wall time
) -> None:
    recorder: Recorder | None = None
    async with open_test_node(
        modules=[actorkit.supervision_tree("app", tree(), depends_on=["clock"])]
    ) as node:
        recorder = Recorder().attach(node)
        assert node.whereis("app") is not None
        assert len(live(node)) == 5
    assert recorder.exits == ["d", "c", "sub", "a", "app"]
