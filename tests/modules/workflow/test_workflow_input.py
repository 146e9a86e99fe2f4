"""Bad input names the command, its ID and the field; misuse is a clear error."""

from __future__ import annotations

import re
from typing import Any

import pytest

from actorkit.modules import workflow

from ._wf import Place, call, node_on


def bad(value: object) -> Any:
    """A wrong value, past the type checker."""
    return value


CASES: list[tuple[Any, str]] = [
    (lambda: workflow.SideEffect(bad(42)), "SideEffect (id=180): fn"),
    (lambda: workflow.Call(""), "Call (id=181): target"),
    (lambda: workflow.Call("a", bad("xy")), "Call (id=181): args"),
    (lambda: workflow.Call("a", timeout=-1), "Call (id=181): timeout"),
    (lambda: workflow.Call("a", workflow_id=""), "Call (id=181): workflow_id"),
    (lambda: workflow.Version("", 0, 1), "Version (id=182): change_id"),
    (lambda: workflow.Version("c", 0, bad("1")), "Version (id=182): max_supported"),
    (lambda: workflow.UpsertAttrs(bad({"a": [1]})), "UpsertAttrs (id=183): attributes"),
    (lambda: workflow.UpsertAttrs(bad({1: 1})), "UpsertAttrs (id=183): attributes"),
    (lambda: workflow.Start("", "flow"), "Start (id=184): workflow_id"),
    (lambda: workflow.Start("w", "flow", bad(3)), "Start (id=184): args"),
    (lambda: workflow.Signal("w", ""), "Signal (id=185): name"),
    (lambda: workflow.Receive(bad(None)), "Receive (id=186): name"),
    (lambda: workflow.Describe("w", wait=bad(1)), "Describe (id=187): wait"),
    (lambda: workflow.List(status="done"), "List (id=188): status"),
    (lambda: workflow.Cancel(bad(7)), "Cancel (id=189): workflow_id"),
]


@pytest.mark.parametrize(("build", "named"), CASES)
def test_a_wrong_field_names_command_id_and_field(build: Any, named: str) -> None:
    with pytest.raises(workflow.WorkflowArgumentError, match=re.escape(named)):
        build()


def test_module_options_are_checked() -> None:
    with pytest.raises(ValueError, match="history_limit"):
        workflow.module("wf", workflows={}, history_limit=0)
    with pytest.raises(ValueError, match="db"):
        workflow.module("", workflows={})


async def test_unknown_workflows_and_ids_are_named(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, {}) as node:
        with pytest.raises(workflow.WorkflowError, match="no workflow named 'nope'"):
            await call(node, workflow.Start("w-1", "nope"))
        with pytest.raises(workflow.WorkflowNotFoundError, match="'w-2'"):
            await call(node, workflow.Describe("w-2"))
        with pytest.raises(workflow.WorkflowNotFoundError, match="'w-3'"):
            await call(node, workflow.Signal("w-3", "go"))
        with pytest.raises(workflow.WorkflowNotFoundError, match="'w-4'"):
            await call(node, workflow.Cancel("w-4"))


async def test_workflow_only_commands_refuse_other_processes(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, {}) as node:
        with pytest.raises(workflow.NotAllowedError, match="Receive"):
            await call(node, workflow.Receive("go"))
        with pytest.raises(workflow.NotAllowedError, match="UpsertAttrs"):
            await call(node, workflow.UpsertAttrs({"a": 1}))


async def test_side_effect_helpers_run_live_outside_a_workflow(sqlite_place: Place) -> None:
    async with node_on(sqlite_place, {}) as node, node.process() as proc:
        assert await workflow.now(proc) > 0
        assert 0 <= await workflow.random(proc) < 1
        assert len(await workflow.uuid4(proc)) == 36
        assert await proc.call(workflow.Call(workflow.Version("v", 0, 2), retry=ONCE)) == 2
        with pytest.raises(workflow.WorkflowNotFoundError):
            await proc.call(workflow.Call(workflow.Describe("w"), retry=ONCE))


ONCE = workflow.Retry(attempts=1)
