"""The SQLite backend: durable across restarts, one thread per database, cancellable."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
import trio
import trio.testing

import actorkit
from actorkit.modules import store
from actorkit.modules._sqlite_worker import Worker
from actorkit.modules.store import Entry, Get, Item, Set
from actorkit.modules.store.state import stores
from actorkit.testing import open_test_node

from ._store_kv import write_forever


def _threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == f"actorkit-sqlite-{name}"]


async def test_store_sqlite_values_survive_a_restart(tmp_path: Path) -> None:
    comp = store.sqlite("d", str(tmp_path / "d.db"))
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        version = await proc.call(Set("d", "k", {"kept": True}))
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        assert await proc.call(Entry("d", "k")) == Item({"kept": True}, version, None)
        assert await proc.call(Set("d", "k", 2)) != version


async def test_store_sqlite_ttl_is_a_wall_clock_time(tmp_path: Path) -> None:
    now = [1_000.0]
    comp = store.sqlite("d", str(tmp_path / "d.db"), clock=lambda: now[0])
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        await proc.call(Set("d", "k", 1, ttl=100))
    now[0] += 99
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        item = await proc.call(Entry("d", "k"))
        assert item is not None
        assert item.expires_in == pytest.approx(1)
        now[0] += 1
        assert await proc.call(Get("d", "k")) is None


async def test_store_sqlite_sweep_deletes_expired_rows(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    now = [1_000.0]
    comp = store.sqlite("d", str(path), clock=lambda: now[0])
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        await proc.call(Set("d", "gone", 1, ttl=1))
        await proc.call(Set("d", "kept", 2))
        now[0] += 2
        assert _rows(path) == 2
        await stores(node)["d"].sweep()  # what the periodic sweep runs
        assert _rows(path) == 1


def _rows(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        (count,) = conn.execute("SELECT count(*) FROM actorkit_store").fetchone()
    conn.close()
    return int(count)


async def test_store_sqlite_runs_on_one_thread_of_its_own(tmp_path: Path) -> None:
    comp = store.sqlite("solo", str(tmp_path / "d.db"))
    async with open_test_node(modules=[comp]) as node, node.process() as proc:
        for i in range(50):
            await proc.call(Set("solo", f"k{i}", i))
        assert len(_threads("solo")) == 1
    assert _threads("solo") == []


async def test_store_sqlite_shutdown_mid_call_ends_the_thread(tmp_path: Path) -> None:
    comp = store.sqlite("mid", str(tmp_path / "d.db"))
    async with open_test_node(modules=[comp], shutdown_grace=0) as node:
        pid = node.spawn(write_forever, "mid")
        await trio.testing.wait_all_tasks_blocked()
        assert node.resolve(pid) is not None  # still writing when the node stops
    assert _threads("mid") == []
    with sqlite3.connect(tmp_path / "d.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


async def test_store_sqlite_two_stores_in_one_file(tmp_path: Path) -> None:
    path = str(tmp_path / "d.db")
    modules = [store.sqlite("a", path, table="a"), store.sqlite("b", path, table="b")]
    async with open_test_node(modules=modules) as node, node.process() as proc:
        await proc.call(Set("a", "k", "in a"))
        assert await proc.call(Get("b", "k")) is None


async def test_store_sqlite_unopenable_file_fails_boot(tmp_path: Path) -> None:
    comp = store.sqlite("d", str(tmp_path / "missing-dir" / "d.db"))
    with pytest.raises(actorkit.BootError, match=r"'store\.d' failed to start: unable to open"):
        async with open_test_node(modules=[comp]):
            pass
    assert _threads("d") == []


def _runaway(conn: sqlite3.Connection, _: None) -> list[Any]:
    return conn.execute(RUNAWAY).fetchall()


RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"


async def test_store_sqlite_thread_interrupts_a_cancelled_job() -> None:
    db = Worker("runaway", lambda: sqlite3.connect(":memory:"))
    await db.start()
    started = threading.Event()

    def runaway(conn: sqlite3.Connection, _: None) -> list[Any]:
        started.set()
        return _runaway(conn, None)  # never ends by itself: only the interrupt stops it

    try:
        with trio.CancelScope() as scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_cancel_when_set, started, scope)
                await db.call(runaway, None)
        assert scope.cancelled_caught
        assert await db.call(lambda conn, _: conn.execute("SELECT 42").fetchone(), None) == (42,)
    finally:
        await db.stop()


async def _cancel_when_set(started: threading.Event, scope: trio.CancelScope) -> None:
    await trio.to_thread.run_sync(started.wait)  # the thread has taken the job
    scope.cancel()


async def test_store_sqlite_thread_reports_a_job_that_finished_despite_a_cancel() -> None:
    """A cancel that comes too late to stop a job (a COMMIT that went through) does not
    hide what the job did: the call returns its result, and the next checkpoint raises."""
    db = Worker("late", lambda: sqlite3.connect(":memory:", check_same_thread=False))
    await db.start()
    started, go = threading.Event(), threading.Event()
    got: list[str] = []

    def job(conn: sqlite3.Connection, _: None) -> str:
        started.set()
        go.wait()  # Python code: sqlite's interrupt cannot stop it
        conn.execute("CREATE TABLE done (x)")
        return "done"

    async def caller(scope: trio.CancelScope) -> None:
        with scope:
            got.append(await db.call(job, None))
            await trio.lowlevel.checkpoint()
            got.append("not reached: the cancel is still pending")

    try:
        scope = trio.CancelScope()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(caller, scope)
            await trio.to_thread.run_sync(started.wait)
            scope.cancel()
            await trio.testing.wait_all_tasks_blocked()
            go.set()
        assert got == ["done"]
        assert scope.cancelled_caught
        listed = "SELECT name FROM sqlite_master"
        assert ("done",) in await db.call(lambda conn, _: conn.execute(listed).fetchall(), None)
    finally:
        go.set()
        await db.stop()


async def test_store_sqlite_thread_drops_a_cancelled_queued_job() -> None:
    db = Worker("queued", lambda: sqlite3.connect(":memory:"))
    await db.start()
    ran: list[str] = []
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(db.call, _runaway, None)
            await trio.testing.wait_all_tasks_blocked()
            with trio.CancelScope() as scope:
                scope.cancel()
                await db.call(lambda conn, _: ran.append("queued job"), None)
            nursery.cancel_scope.cancel()
        assert ran == []
    finally:
        await db.stop()


async def test_store_sqlite_thread_refuses_work_after_close() -> None:
    db = Worker("closed", lambda: sqlite3.connect(":memory:"))
    await db.start()
    await db.stop()
    with pytest.raises(trio.ClosedResourceError, match="'closed' is closed"):
        await db.call(lambda conn, _: None, None)
