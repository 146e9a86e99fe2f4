"""A workflow application run as its own OS process, for the crash tests.

``python _crash_child.py DB LOG WORKFLOW [PAUSE...]`` boots a node journaling in DB (a
SQLite file, or a ``postgresql://`` address), starts workflow ``crash-1`` running
WORKFLOW (unless it exists: then the node resumes it) and waits for its result. Each
activity appends its name to LOG (so runs are counted across processes) and prints it;
the parent kills this process with SIGKILL at the point it chooses.

Workflows: ``order`` (two activities, a timer, a signal, an activity), ``booking`` (a
transactional activity that writes a row of ``bookings``, then an activity) and ``inbox``
(a mailbox message the child sends it, then an activity).

A PAUSE prints its name and stops the workflow there: ``begin`` before the first activity
of ``order``; ``receive`` before its ``Receive`` (the child has sent the signal and
printed ``signalled``); ``tx-begun`` inside ``book``'s transaction before its row,
``tx-written`` after its row but before the commit, ``tx-committed`` after the step
committed; ``received`` after ``inbox`` journaled its message. A pause delays only the
workflow's code, so the journal it leaves is one the unpaused workflow (in the parent)
resumes.
"""

from __future__ import annotations

import sys
from typing import Any, cast

import trio

import actorkit
from actorkit.modules import clock, sql, workflow


def logging_activity(name: str) -> Any:
    """An activity that appends ``name`` to the log file, then prints it."""

    async def activity(act: workflow.Activity, log: str) -> str:
        await record(log, name)
        return name

    activity.__qualname__ = f"activity_{name}"
    return activity


async def record(log: str, name: str) -> None:
    """Append ``name`` to the log file, then print it."""
    async with await trio.open_file(log, "a") as out:
        await out.write(f"{name}\n")
    print(name, flush=True)


PAUSES: set[str] = set()  # filled from the command line in the child only


async def pause(point: str) -> None:
    """Print ``point`` and wait forever if the child was told to pause there."""
    if point in PAUSES:
        print(point, flush=True)
        await trio.sleep_forever()


async def order(proc: actorkit.Process, log: str) -> list[str]:
    await pause("begin")
    done = [await proc.call(workflow.Call("reserve", (log,)))]
    done.append(await proc.call(workflow.Call("charge", (log,))))
    await proc.call(clock.Sleep(0.2))
    await pause("receive")
    done.append(str(await proc.call(workflow.Receive("go"))))
    done.append(await proc.call(workflow.Call("ship", (log,))))
    return done


BOOKINGS = "CREATE TABLE IF NOT EXISTS bookings (id TEXT NOT NULL, idem TEXT NOT NULL)"


@workflow.transactional
async def book(act: workflow.Activity, log: str) -> str:
    """Write one row of ``bookings`` in the transaction that journals the step."""
    await pause("tx-begun")
    ph = "?" if act.kind == "sqlite" else "%s"
    await act.execute(f"INSERT INTO bookings VALUES ({ph}, {ph})", "b-1", act.key)
    await record(log, "book")
    await pause("tx-written")
    return "booked"


async def booking(proc: actorkit.Process, log: str) -> list[str]:
    done = [await proc.call(workflow.Call("book", (log,)))]
    await pause("tx-committed")
    done.append(await proc.call(workflow.Call("ship", (log,))))
    return done


async def inbox(proc: actorkit.Process, log: str) -> list[str]:
    msg = await workflow.receive(proc, "item")
    await pause("received")
    return [cast("str", msg.payload), await proc.call(workflow.Call("ship", (log,)))]


WORKFLOWS = {"order": order, "booking": booking, "inbox": inbox}
LEASE = 0.5  # seconds: a killed child's workflow is taken over this long after
ACTIVITIES: dict[str, Any] = {n: logging_activity(n) for n in ("reserve", "charge", "ship")}
ACTIVITIES["book"] = book


def modules(db: str) -> list[actorkit.Component]:
    """The application's modules, journaling in ``db`` (a SQLite file or PostgreSQL)."""
    database = sql.postgres("wf", db, pool_size=4) if db.startswith("postgres") else None
    return [
        clock.module(),
        database or sql.sqlite("wf", db),
        workflow.module("wf", workflows=WORKFLOWS, activities=ACTIVITIES, lease=LEASE),
    ]


async def pid_of(proc: actorkit.Process, workflow_id: str) -> actorkit.PID:
    """The workflow's process, once it runs (looked at every few milliseconds)."""
    while (info := await proc.call(workflow.Describe(workflow_id))).pid is None:
        await proc.call(clock.Sleep(0.005))
    return info.pid


async def main(proc: actorkit.Process, log: str, name: str) -> None:
    await proc.call(sql.Execute("wf", BOOKINGS))
    await proc.call(workflow.Start("crash-1", name, (log,)))
    print("started", flush=True)
    if "receive" in PAUSES:
        await proc.call(workflow.Signal("crash-1", "go", "now"))
        print("signalled", flush=True)
    if name == "inbox":
        await proc.send(await pid_of(proc, "crash-1"), "item", "tea")
    print("result", await workflow.result(proc, "crash-1"), flush=True)


if __name__ == "__main__":
    PAUSES.update(sys.argv[4:])
    actorkit.run(main, sys.argv[2], sys.argv[3], modules=modules(sys.argv[1]))
