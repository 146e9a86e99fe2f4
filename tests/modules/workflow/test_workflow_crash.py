"""Crash tests: the workflow runs in a child OS process killed with SIGKILL at several
points; a node opened afterwards on the same journal finishes it, and what had been
journaled before the kill does not run again. A transactional step killed anywhere in its
middle writes its row exactly once, on SQLite and on PostgreSQL; a mailbox message
journaled before the kill is the one the replay acts on."""

from __future__ import annotations

import collections
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import trio

from actorkit.modules import workflow
from actorkit.testing import open_test_node

from . import _crash_child
from ._wf import Place

CHILD = Path(_crash_child.__file__)
HANG_GUARD = 60.0  # seconds: only a hung child reaches it


async def _read_until(stream: trio.abc.ReceiveStream, *lines: str) -> None:
    """Read the child's output until it has printed every one of ``lines``."""
    seen = b""
    while not all(f"{line}\n".encode() in seen for line in lines):
        chunk = await stream.receive_some()
        if not chunk:
            raise AssertionError(f"the child ended before printing {lines!r}: {seen!r}")
        seen += chunk


def _wait_for_timer(db: Path) -> None:
    """Block until the child has journaled its timer (polls the other OS process's file)."""
    query = "SELECT count(*) FROM actorkit_journal WHERE command LIKE 'Sleep%'"
    while True:
        with sqlite3.connect(db) as conn:
            if conn.execute(query).fetchone()[0]:
                return
        time.sleep(0.01)


async def _until_timer(db: Path) -> None:
    await trio.to_thread.run_sync(_wait_for_timer, db, abandon_on_cancel=True)


def _scalar(db: Path, query: str) -> object:
    with sqlite3.connect(db) as conn:
        return conn.execute(query).fetchone()[0]


async def _run_and_kill(db: Path | str, log: Path, flow: str, point: str, *pause: str) -> None:
    """Run workflow ``flow`` in a child process; SIGKILL it once it printed ``point``."""
    argv = [sys.executable, str(CHILD), str(db), str(log), flow, *pause]
    proc = await trio.lowlevel.open_process(argv, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None
        with trio.fail_after(HANG_GUARD):
            if point == "timer":
                await _read_until(proc.stdout, "charge")
                await _until_timer(Path(db))
            elif point == "receive":  # the signal is journaled, not yet taken
                await _read_until(proc.stdout, "signalled", "receive")
            else:
                await _read_until(proc.stdout, point)
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("point", ["reserve", "charge", "timer"])
async def test_a_killed_workflow_finishes_after_a_restart(tmp_path: Path, point: str) -> None:
    db, log = tmp_path / "wf.db", tmp_path / "activities.log"
    await _run_and_kill(db, log, "order", point)
    modules = _crash_child.modules(str(db))
    async with open_test_node(modules=modules) as node, node.process() as proc:
        await proc.call(workflow.Signal("crash-1", "go", "now"))
        with trio.fail_after(HANG_GUARD):
            done = await workflow.result(proc, "crash-1")
    assert done == ["reserve", "charge", "now", "ship"]
    runs = collections.Counter(log.read_text().split())
    assert runs["ship"] == 1
    if point == "reserve":
        # Killed just after reserve printed: its journal entry may not be written (it runs
        # again, and charge never started), or the child may have gone on into charge
        # before the signal landed (charge may run again). Never both.
        assert (runs["reserve"], runs["charge"]) in {(1, 1), (2, 1), (1, 2)}
    elif point == "charge":
        assert runs["reserve"] == 1 and 1 <= runs["charge"] <= 2
    else:  # killed during the timer: every activity before it ran exactly once
        assert runs["reserve"] == 1 and runs["charge"] == 1


JOURNALED = "SELECT count(*) FROM actorkit_journal WHERE workflow_id = 'crash-1'"
SIGNALS = "SELECT count(*) FROM actorkit_signals WHERE workflow_id = 'crash-1' AND name = 'go'"


@pytest.mark.parametrize("point", ["begin", "receive"])
async def test_a_workflow_killed_before_its_next_step_runs_it_once(
    tmp_path: Path, point: str
) -> None:
    """Killed after Start is journaled but before the first activity, or after its signal
    is journaled but before the workflow takes it: every step then runs exactly once."""
    db, log = tmp_path / "wf.db", tmp_path / "activities.log"
    await _run_and_kill(db, log, "order", point, point)
    status = "SELECT status FROM actorkit_workflows WHERE id = 'crash-1'"
    assert _scalar(db, status) == "running"
    if point == "begin":
        assert _scalar(db, JOURNALED) == 0 and not log.exists()
    else:
        assert _scalar(db, f"{SIGNALS} AND consumed IS NULL") == 1
        assert _scalar(db, f"{JOURNALED} AND command LIKE 'Receive%'") == 0
    modules = _crash_child.modules(str(db))
    async with open_test_node(modules=modules) as node, node.process() as proc:
        if point == "begin":  # the signal the child never sent
            await proc.call(workflow.Signal("crash-1", "go", "now"))
        with trio.fail_after(HANG_GUARD):
            done = await workflow.result(proc, "crash-1")
    assert done == ["reserve", "charge", "now", "ship"]
    runs = collections.Counter(log.read_text().split())
    assert runs == {"reserve": 1, "charge": 1, "ship": 1}
    assert _scalar(db, SIGNALS) == 1
    assert _scalar(db, f"{SIGNALS} AND consumed IS NOT NULL") == 1


async def _finish(address: str) -> object:
    """Open a node on the journal, as a restarted application would; the result."""
    modules = _crash_child.modules(address)
    async with open_test_node(modules=modules) as node, node.process() as proc:
        with trio.fail_after(HANG_GUARD):
            return await workflow.result(proc, "crash-1")


BOOKINGS = "SELECT count(*) FROM bookings"
STEP = f"{JOURNALED} AND command LIKE 'Call%book%'"


@pytest.mark.parametrize("point", ["tx-begun", "tx-written", "tx-committed"])
async def test_a_transactional_step_killed_in_its_middle_writes_its_row_once(
    place: Place, tmp_path: Path, point: str
) -> None:
    """Killed in the step's transaction before its row, after its row but before the
    commit, or after the commit: after the restart the row exists exactly once, written
    by the attempt whose journal entry committed with it."""
    log = tmp_path / "activities.log"
    await _run_and_kill(place.address, log, "booking", point, point)
    committed = point == "tx-committed"
    assert place.scalar(BOOKINGS) == place.scalar(STEP) == int(committed)
    assert await _finish(place.address) == ["booked", "ship"]
    assert place.scalar(BOOKINGS) == place.scalar(STEP) == 1
    assert place.scalar("SELECT idem FROM bookings") == "crash-1:1:0"
    runs = collections.Counter(log.read_text().split())
    # the attempt killed after its row (rolled back) ran again; no other one did
    assert runs == {"book": 2 if point == "tx-written" else 1, "ship": 1}


async def test_a_message_journaled_before_a_kill_is_acted_on_after_it(
    place: Place, tmp_path: Path
) -> None:
    """Killed between taking a mailbox message and acting on it: the restarted workflow
    (a new process, with an empty mailbox) replays the message and acts on it once."""
    log = tmp_path / "activities.log"
    await _run_and_kill(place.address, log, "inbox", "received", "received")
    assert not log.exists()
    assert await _finish(place.address) == ["tea", "ship"]
    assert collections.Counter(log.read_text().split()) == {"ship": 1}
    assert place.scalar(f"{JOURNALED} AND command LIKE '%mailbox%'") == 1
