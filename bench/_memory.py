"""Resident memory per idle process, each side measured in a fresh interpreter.

``python -m bench._memory raw|actorkit|pykka N`` holds N idle tasks, processes or Pykka
actors (one thread each), prints one
JSON object ``{"bytes_per_process": ...}`` and exits at once with ``os._exit``: tearing
down 100k blocked tasks takes seconds and is not what is measured. The garbage collector
is paused while they are made (it would rescan the growing heap over and over, tripling the
time; the figures come out the same) and run once before the second reading.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable

import trio
import trio.testing

import actorkit

from ._report import Result

NAME = "memory_per_process"
MAX_BYTES = 3072
BASELINE = "a task blocked on receive() of its own size-0 channel"
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss() -> int:
    """Current resident set size in bytes, from /proc/self/statm."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


async def _idle_task(receive: trio.MemoryReceiveChannel[object]) -> None:
    await receive.receive()


async def _hold_raw(n: int, report: Callable[[], Awaitable[None]]) -> None:
    """``n`` tasks, each blocked on ``receive()`` of its own size-0 channel."""
    senders: list[trio.MemorySendChannel[object]] = []
    async with trio.open_nursery() as nursery:
        for _ in range(n):
            send, receive = trio.open_memory_channel[object](0)
            senders.append(send)
            nursery.start_soon(_idle_task, receive)
        await report()


async def _idle_process(proc: actorkit.Process) -> None:
    await proc.receive()


async def _hold_actorkit(n: int, report: Callable[[], Awaitable[None]]) -> None:
    """``n`` processes, each blocked in ``proc.receive()``."""
    async with actorkit.open_node(name="bench") as node:
        for _ in range(n):
            node.spawn(_idle_process)
        await report()


def _hold_pykka(n: int) -> None:
    """``n`` started Pykka actors, idle (a thread each, blocked on its inbox)."""
    from ._pykka import Echo  # noqa: PLC0415 (an optional dependency)

    gc.collect()
    gc.disable()
    before = rss()
    refs = [Echo.start() for _ in range(n)]
    refs[-1].ask(None)  # the last one has started and answers
    gc.collect()
    print(json.dumps({"bytes_per_process": (rss() - before) / n}), flush=True)
    os._exit(0)


async def _measure(side: str, n: int) -> None:
    hold = _hold_raw if side == "raw" else _hold_actorkit
    gc.collect()
    gc.disable()
    before = rss()

    async def report() -> None:
        await trio.testing.wait_all_tasks_blocked()
        gc.collect()
        print(json.dumps({"bytes_per_process": (rss() - before) / n}), flush=True)
        os._exit(0)

    await hold(n, report)


def _start(side: str, n: int) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench._memory", side, str(n)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _bytes(child: subprocess.Popen[str]) -> float:
    out, _ = child.communicate()
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, child.args, out)
    value = json.loads(out.splitlines()[-1])["bytes_per_process"]
    assert isinstance(value, float)
    return value


def measure(quick: bool) -> list[Result]:
    """Bytes per idle process at 100k processes (10k with ``quick``).

    Both sides run at once, each in its own fresh interpreter (RSS is per process, so
    they cannot disturb each other's figure).
    """
    n = 10_000 if quick else 100_000
    raw, with_actorkit = _start("raw", n), _start("actorkit", n)
    return [Result.memory(NAME, _bytes(with_actorkit), _bytes(raw), MAX_BYTES, baseline=BASELINE)]


def versus_pykka(n: int) -> Result:
    """Bytes per idle actor at ``n`` actors, actorkit vs Pykka (lower = smaller)."""
    pykka, with_actorkit = _start("pykka", n), _start("actorkit", n)
    return Result.memory(
        f"memory_per_process_{n // 1000}k",
        _bytes(with_actorkit),
        _bytes(pykka),
        None,
        baseline="an idle ThreadingActor (its own thread), fresh subprocess",
        peer="pykka",
    )


if __name__ == "__main__":
    if sys.argv[1] == "pykka":
        _hold_pykka(int(sys.argv[2]))
    else:
        trio.run(_measure, sys.argv[1], int(sys.argv[2]))
