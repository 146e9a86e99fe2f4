"""The workflow module (IDs 180–189): durable processes journaled in an sql database.

A workflow is a process whose commands go through a journal: each result is recorded in
order, and after a crash or a restart the workflow is replayed (journaled results come back
without running anything again) until it goes on live::

    async def order(proc, item):
        await proc.call(workflow.Call("reserve", (item,)))
        await proc.call(clock.Sleep(3600))        # a durable timer
        return await proc.call(workflow.Call("charge", (item,)))

    MODULES = [
        sql.sqlite("wf", "app.db"),
        workflow.module("wf", workflows={"order": order}, activities={...}),
    ]
    info = await proc.call(workflow.Start("order-7", "order", ("tea",)))

See ``docs/guides/workflow.md``.
"""

from __future__ import annotations

import random as _random
import time
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import trio

from actorkit import Process
from actorkit.checks import duration, integer, text
from actorkit.lowlevel import Boot, Component, add_shutdown_hook, ref_of
from actorkit.modules.sql import statements

from .activity import Activity, transactional
from .codec import encode
from .commands import (
    Call,
    Cancel,
    Describe,
    List,
    Receive,
    Retry,
    SideEffect,
    Signal,
    Start,
    UpsertAttrs,
    Version,
    WorkflowInfo,
)
from .dispatcher import TABLE, resume
from .errors import (
    ActivityError,
    EncodingError,
    HistoryLimitError,
    JournalError,
    NonDeterminismError,
    NotAllowedError,
    VersionError,
    WorkflowArgumentError,
    WorkflowError,
    WorkflowFailedError,
    WorkflowNotFoundError,
)
from .history import History, HistoryEntry, load_history
from .journal import Journal
from .mailbox import receive
from .replay import Replayed, replay
from .runner import DEFAULT_VERSION, ContinueAsNew, sweep
from .state import ENGINE, RUN, ActivityFn, Engine, WorkflowFn


def module(
    db: str,
    *,
    workflows: Mapping[str, WorkflowFn],
    activities: Mapping[str, ActivityFn] | None = None,
    clock: Callable[[], float] = time.time,
    history_limit: int = 10_000,
    lease: float = 30.0,
    poll: float = 1.0,
) -> Component:
    """The workflow module, journaling in the sql database ``db`` (declared with
    ``sql.sqlite`` or ``sql.postgres`` before it).

    At start it creates its tables and resumes every workflow still running.

    Args:
        db: the sql database's name.
        workflows: workflow functions ``async def fn(proc, *args)`` by name.
        activities: activity functions ``async def fn(act, *args)`` by name.
        clock: seconds for durable timers (wall time; ``trio.current_time`` in tests).
        history_limit: at most this many journaled commands per run.
        lease: seconds a node holds a workflow without renewing its lease (renewed every
            third); a workflow whose lease ran out is resumed by another node.
        poll: seconds between looks at the journal for what other nodes did: a signal
            sent through another node, a workflow ended on another node.

    Raises:
        ValueError: an option is wrong (the message names it).
    """
    text(non_empty=True).option("workflow.module", "db", db)
    integer(minimum=1).option("workflow.module", "history_limit", history_limit)
    seconds = duration(finite=True, positive=True)
    seconds.option("workflow.module", "lease", lease)
    seconds.option("workflow.module", "poll", poll)
    eng = Engine(db, dict(workflows), dict(activities or {}), clock, history_limit, lease, poll)
    sweeping = trio.CancelScope()

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)
        ENGINE.set(boot.node, eng)

    async def stop_runs() -> None:
        eng.stopping = True  # the runs stay 'running' in the journal, to resume later
        sweeping.cancel()
        for scope in eng.scopes.values():
            scope.cancel()

    async def start(boot: Boot) -> None:
        add_shutdown_hook(boot.node, stop_runs)
        eng.journal = Journal(statements(boot.node, db, what="workflow journal"))
        await eng.journal.setup()
        for row in await eng.journal.workflows("running"):
            if row.name in eng.workflows:  # another application's workflow is not ours
                resume(boot.node, eng, row.id)
        boot.node.spawn(sweep, eng, sweeping)

    return Component("workflow", depends_on=(f"sql.{db}",), load=load, start=start)


async def now(proc: Process) -> float:
    """The wall time, recorded once (a ``SideEffect``). A checkpoint."""
    value: float = await proc.call(SideEffect(time.time))
    return value


async def random(proc: Process) -> float:
    """A random float in [0, 1), recorded once. A checkpoint."""
    value: float = await proc.call(SideEffect(_random.random))
    return value


async def uuid4(proc: Process) -> str:
    """A random UUID as text, recorded once. A checkpoint."""
    value: str = await proc.call(SideEffect(_uuid_text))
    return value


def _uuid_text() -> str:
    return str(uuid.uuid4())


def publish(proc: Process, state: object) -> None:
    """Publish the running workflow's state: ``Describe`` returns it as ``state``, on
    every node sharing the journal. Not a checkpoint: the state is written to the
    workflow's row in the background, and publishes made before that write coalesce
    into it (the latest wins).

    Raises:
        EncodingError: ``state`` cannot be journaled (nothing is published).
    """
    run = RUN.get(ref_of(proc))
    if run.published is not None:
        run.published.put(encode(state, "the published state"))
    run.state = state


async def result(proc: Process, workflow_id: str) -> Any:
    """Wait for the workflow to end and return its result. A checkpoint.

    Raises:
        WorkflowFailedError: it failed or was cancelled.
        WorkflowNotFoundError: no workflow has that ID.
    """
    info = await proc.call(Describe(workflow_id, wait=True))
    if info.status != "completed":
        raise WorkflowFailedError(workflow_id, info.status, info.error or "")
    return info.result


__all__ = [
    "DEFAULT_VERSION",
    "Activity",
    "ActivityError",
    "Call",
    "Cancel",
    "ContinueAsNew",
    "Describe",
    "EncodingError",
    "History",
    "HistoryEntry",
    "HistoryLimitError",
    "JournalError",
    "List",
    "NonDeterminismError",
    "NotAllowedError",
    "Receive",
    "Replayed",
    "Retry",
    "SideEffect",
    "Signal",
    "Start",
    "UpsertAttrs",
    "Version",
    "VersionError",
    "WorkflowArgumentError",
    "WorkflowError",
    "WorkflowFailedError",
    "WorkflowInfo",
    "WorkflowFn",
    "WorkflowNotFoundError",
    "load_history",
    "module",
    "now",
    "publish",
    "random",
    "receive",
    "replay",
    "result",
    "transactional",
    "uuid4",
]
