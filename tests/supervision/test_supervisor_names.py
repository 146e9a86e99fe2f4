"""Names people see: a supervised child's logs carry its supervisor's path and child id."""

from __future__ import annotations

from collections.abc import Iterable, MutableMapping
from typing import Any

import structlog
import structlog.testing
import trio.testing

import actorkit

from .supervision_kit import kill, spec

MERGE = [structlog.contextvars.merge_contextvars]


async def talker(proc: actorkit.Process) -> None:
    """Logs once, then serves like a worker (``crash`` raises)."""
    structlog.get_logger("test").info("talker_started")
    async for msg in proc.messages():
        if msg.topic == "crash":
            raise RuntimeError("talker crashed")


def labels(logs: Iterable[MutableMapping[str, Any]], event: str) -> list[tuple[object, object]]:
    return [(e.get("supervisor"), e.get("child")) for e in logs if e["event"] == event]


async def test_child_logs_carry_the_supervisor_path_and_child_id(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor([actorkit.ChildSpec("db", talker, name="talker")])
    with structlog.testing.capture_logs(processors=MERGE) as logs:
        async with node.process() as proc:
            await proc.spawn(sup, name="app")
            await actorkit.SupervisorClient(proc, "app").which_children()
            await kill(proc, "talker", "exception")
    assert labels(logs, "talker_started") == [("app", "db")]
    assert labels(logs, "process_failed") == [("app", "db")]


async def test_nested_children_carry_their_full_path(node: actorkit.Node) -> None:
    inner = actorkit.Supervisor([actorkit.ChildSpec("conn", talker)])
    sup = actorkit.Supervisor([actorkit.ChildSpec("db", inner), spec("w")])
    with structlog.testing.capture_logs(processors=MERGE) as logs:
        node.spawn(sup, name="app")
        await trio.testing.wait_all_tasks_blocked()
    assert labels(logs, "talker_started") == [("app/db", "conn")]


async def test_a_supervised_child_keeps_its_function_name(node: actorkit.Node) -> None:
    inner = actorkit.Supervisor([])
    sup = actorkit.Supervisor([actorkit.ChildSpec("t", talker), actorkit.ChildSpec("i", inner)])
    async with node.process() as proc:
        await proc.spawn(sup, name="app")
        await actorkit.SupervisorClient(proc, "app").which_children()
        functions = {p.function for p in node.statistics().processes}
    assert {"talker", "Supervisor"} <= functions


async def test_child_label_shows_in_statistics(node: actorkit.Node) -> None:
    sup = actorkit.Supervisor([actorkit.ChildSpec("db", talker)])
    async with node.process() as proc:
        await proc.spawn(sup, name="app")
        await actorkit.SupervisorClient(proc, "app").which_children()
        infos = node.statistics().processes
    assert [i.label for i in infos if i.function.endswith("talker")] == ["app/db"]


async def test_a_childs_own_spawns_start_with_a_clean_log_context(node: actorkit.Node) -> None:
    async def grandchild(proc: actorkit.Process) -> None:
        structlog.get_logger("test").info("grandchild_started")

    async def parent(proc: actorkit.Process) -> None:
        await proc.exec(grandchild)
        await proc.receive(kind=actorkit.Cancel)

    sup = actorkit.Supervisor([actorkit.ChildSpec("db", parent)])
    with structlog.testing.capture_logs(processors=MERGE) as logs:
        async with node.process() as proc:
            await proc.spawn(sup, name="app")
            await actorkit.SupervisorClient(proc, "app").which_children()
            await trio.testing.wait_all_tasks_blocked()
    assert labels(logs, "grandchild_started") == [(None, None)]
