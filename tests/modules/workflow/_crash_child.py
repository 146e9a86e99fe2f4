"""A workflow application run as its own OS process, for the crash tests.

``python _crash_child.py DB LOG [PAUSE]`` boots a node journaling in the SQLite file DB,
starts workflow ``crash-1`` (unless it exists: then the node resumes it) and waits for its
result. Each activity appends its name to LOG (so runs are counted across processes) and
prints it; the parent kills this process with SIGKILL at the point it chooses.

With PAUSE ``begin`` the workflow prints ``begin`` and stops (journaling nothing) before
its first activity; with PAUSE ``receive`` the child sends the workflow its ``go`` signal
(printing ``signalled``) and the workflow prints ``receive`` and stops before taking it.
A pause only delays the workflow's code between two commands, so the journal it leaves
is one the unpaused workflow (in the parent) resumes.
"""

from __future__ import annotations

import sys
from typing import Any

import trio

import actorkit
from actorkit.modules import clock, sql, workflow


def logging_activity(name: str) -> Any:
    """An activity that appends ``name`` to the log file, then prints it."""

    async def activity(act: workflow.Activity, log: str) -> str:
        async with await trio.open_file(log, "a") as out:
            await out.write(f"{name}\n")
        print(name, flush=True)
        return name

    activity.__qualname__ = f"activity_{name}"
    return activity


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


WORKFLOWS = {"order": order}
LEASE = 0.5  # seconds: a killed child's workflow is taken over this long after
ACTIVITIES = {name: logging_activity(name) for name in ("reserve", "charge", "ship")}


def modules(db: str) -> list[actorkit.Component]:
    """The application's modules, journaling in the SQLite file ``db``."""
    return [
        clock.module(),
        sql.sqlite("wf", db),
        workflow.module("wf", workflows=WORKFLOWS, activities=ACTIVITIES, lease=LEASE),
    ]


async def main(proc: actorkit.Process, log: str) -> None:
    await proc.call(workflow.Start("crash-1", "order", (log,)))
    print("started", flush=True)
    if "receive" in PAUSES:
        await proc.call(workflow.Signal("crash-1", "go", "now"))
        print("signalled", flush=True)
    print("result", await workflow.result(proc, "crash-1"), flush=True)


if __name__ == "__main__":
    PAUSES.update(sys.argv[3:])
    actorkit.run(main, sys.argv[2], modules=modules(sys.argv[1]))
