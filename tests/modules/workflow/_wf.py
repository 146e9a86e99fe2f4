"""Shared pieces of the workflow tests: where the journal lives, and a node on it.

A :class:`Place` is one journal database (a SQLite file in ``tmp_path``, or a fresh
PostgreSQL schema) that several nodes open one after another, as a restarted application
would. Activities count their runs in :data:`COUNTS` so tests can see what ran again.
"""

from __future__ import annotations

import collections
import sqlite3
import time
import uuid
from collections.abc import AsyncGenerator, Callable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import attrs
import psycopg
import trio

import actorkit
from actorkit.modules import sql, workflow
from actorkit.testing import open_test_node, require_service

NEVER_JOURNALED = 120.0  # real seconds: only a broken workflow takes this long

POSTGRES_DSN = "postgresql://postgres@127.0.0.1:5432/test"
KINDS = ("sqlite", "postgres")
COUNTS: collections.Counter[str] = collections.Counter()
EVENTS: dict[str, trio.Event] = {}


@attrs.frozen
class Place:
    """Where a test's journal lives."""

    kind: str
    address: str
    schema: str = ""

    def database(self) -> actorkit.Component:
        """The sql database component named ``wf``."""
        if self.kind == "sqlite":
            return sql.sqlite("wf", self.address)
        return sql.postgres("wf", self.address, pool_size=4)

    def ph(self) -> str:
        """The positional placeholder."""
        return "?" if self.kind == "sqlite" else "%s"

    def scalar(self, text: str) -> Any:
        """One value read directly (blocking; call it outside any node or in a thread)."""
        if self.kind == "sqlite":
            with sqlite3.connect(self.address) as conn:
                return conn.execute(text).fetchone()[0]
        with psycopg.connect(self.address, autocommit=True) as conn:
            row = conn.execute(text.encode()).fetchone()
            return None if row is None else row[0]


def make_place(kind: str, tmp_path: Path) -> Place:
    """A fresh journal place of ``kind`` (PostgreSQL: skipped unless reachable)."""
    if kind == "sqlite":
        return Place(kind, str(tmp_path / "wf.db"))
    dsn = require_service("PostgreSQL", "ACTORKIT_POSTGRES_DSN", POSTGRES_DSN)
    schema = f"wf_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}".encode())
    sep = "&" if "?" in dsn else "?"
    return Place(kind, f"{dsn}{sep}options=-csearch_path%3D{schema}", schema)


def drop_place(place: Place) -> None:
    """Remove a PostgreSQL schema made by :func:`make_place`."""
    if place.kind == "postgres":
        dsn = place.address.split("?options", 1)[0].split("&options", 1)[0]
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {place.schema} CASCADE".encode())


def arrive(name: str) -> None:
    """Count ``name`` and wake whoever waits for it."""
    COUNTS[name] += 1
    event = EVENTS.pop(name, None)
    if event is not None:
        event.set()


def when(name: str) -> trio.Event:
    """An event set the next time ``name`` arrives."""
    return EVENTS.setdefault(name, trio.Event())


def counting(name: str, value: object = None) -> Callable[..., Any]:
    """An activity that counts itself and returns ``value`` (or its arguments)."""

    async def activity(act: workflow.Activity, *args: object) -> object:
        arrive(name)
        return value if value is not None else list(args)

    activity.__qualname__ = f"activity_{name}"
    return activity


@asynccontextmanager
async def node_on(
    place: Place,
    workflows: Mapping[str, Any],
    activities: Mapping[str, Any] | None = None,
    **options: Any,
) -> AsyncGenerator[actorkit.Node, None]:
    """A node whose workflow module journals at ``place``."""
    modules = [
        place.database(),
        workflow.module("wf", workflows=workflows, activities=activities, **options),
    ]
    async with open_test_node(modules=modules) as node:
        yield node


async def call(node: actorkit.Node, cmd: actorkit.Command[Any]) -> Any:
    """Run one command from a temporary process of ``node``."""
    async with node.process() as proc:
        return await proc.call(cmd)


async def result(node: actorkit.Node, workflow_id: str) -> Any:
    """Wait for the workflow's result."""
    async with node.process() as proc:
        return await workflow.result(proc, workflow_id)


async def until_journaled(place: Place, workflow_id: str, command: str) -> None:
    """Wait until the workflow's journal holds a ``command`` entry (polled in a thread:
    with the clock frozen, no timer can fire meanwhile). A workflow that never writes it
    (the clock frozen short of a deadline it waits for) fails the test after
    ``NEVER_JOURNALED`` seconds of real time instead of hanging it."""
    text = (
        "SELECT count(*) FROM actorkit_journal "
        f"WHERE workflow_id = '{workflow_id}' AND command LIKE '{command}%'"
    )
    given_up = time.monotonic() + NEVER_JOURNALED
    while not await trio.to_thread.run_sync(place.scalar, text):
        assert time.monotonic() < given_up, f"{workflow_id} never journaled {command!r}"
        await trio.lowlevel.checkpoint()


def execute(place: Place, text: str) -> None:
    """Run one statement directly (blocking), outside any node."""
    if place.kind == "sqlite":
        with sqlite3.connect(place.address) as conn:
            conn.execute(text)
        return
    with psycopg.connect(place.address, autocommit=True) as conn:
        conn.execute(text.encode())
