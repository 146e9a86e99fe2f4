"""Replaying a saved workflow history against new code, in a test.

::

    history = await saved_history(sql.sqlite("wf", "prod-copy.db"), "order-7")
    history.save("tests/histories/order-7.json")  # once; keep it beside the tests
    ...
    await replay_workflow("tests/histories/order-7.json", order)  # new code of "order"

Built on the workflow module's public API (``workflow.History``, ``workflow.load_history``,
``workflow.replay``); nothing is run but the workflow function.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from actorkit import Component, Node

from ._node import open_test_node

if TYPE_CHECKING:  # imported when used: the test kit loads in every test session
    from actorkit.modules.workflow import History, Replayed, WorkflowFn

_PREFIX = "sql."


async def replay_workflow(
    history: History | str | os.PathLike[str], fn: WorkflowFn, *, node: Node | None = None
) -> Replayed:
    """Replay a saved history against the workflow function ``fn`` and check that the code
    yields the commands the history holds, in order. No activity, side effect, timer or
    other command runs: each is answered from the history, and the first command past its
    end stops the replay there. A checkpoint.

    Args:
        history: a :class:`~actorkit.modules.workflow.History` (from :func:`saved_history`
            or ``workflow.load_history``), or the path of a file ``History.save`` wrote.
        fn: the workflow function, ``async def fn(proc, *args)``, as the code is now.
        node: replay in a process of this node; by default a test node booted for it.

    Returns:
        How the replay went (``workflow.Replayed``): positions gone through, the result
        if the code ended, or the command where it stopped.

    Raises:
        NonDeterminismError: the code yielded another command at a journaled position (the
            message names the position and both commands), or ended before the history.
        VersionError: a journaled ``Version`` marker is outside the code's supported range.
        WorkflowArgumentError: the file does not hold a history.
    """
    from actorkit.modules import workflow  # noqa: PLC0415 - see the imports

    if not isinstance(history, workflow.History):
        history = workflow.History.load(history)
    if node is not None:
        return await workflow.replay(node, history, fn)
    async with open_test_node() as own:
        return await workflow.replay(own, history, fn)


async def saved_history(database: Component, workflow_id: str) -> History:
    """The workflow's current run as a workflow journal holds it, read through a test node
    booted with ``database`` (an ``sql.sqlite`` or ``sql.postgres`` component) and the
    workflow module, which resumes nothing (it registers no workflow). A checkpoint.

    Raises:
        ValueError: ``database`` is not an sql database component.
        WorkflowNotFoundError: no workflow has that ID there.
    """
    if not database.name.startswith(_PREFIX):
        raise ValueError(f"saved_history: database must be an sql database, got {database.name!r}")
    from actorkit.modules import workflow  # noqa: PLC0415 - see the imports

    db = database.name.removeprefix(_PREFIX)
    modules = [database, workflow.module(db, workflows={})]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        return await workflow.load_history(proc, workflow_id)
