"""Long runs (``python -m bench --soak``): does memory stay flat over millions of operations?

Three soaks, each in a fresh interpreter so its memory figures are its own:

- ``spawn_exit``: 1,000,000 processes that return at once, spawned 1,000 at a time and each
  joined with ``node.wait`` before the next batch;
- ``ring``: 1,000 processes in a ring, each forwarding every message it gets to the next,
  5,000,000 messages in all (1,000 tokens travelling at once, one started at each process);
- ``crash``: 100,000 processes that each raise while holding a 64 KiB local, 1,000 at a time,
  each joined with ``node.wait``. The node remembers the last 1,024 exits (for ``node.wait``);
  if a remembered exit kept its frames' locals, that table alone would pin 64 MiB.

Resident memory (``VmRSS`` from ``/proc/self/status``; ``ru_maxrss``, the peak, where there
is no ``/proc``) is read at the start and after 10%, 50% and 100% of the work. Memory is
*flat* if the last reading is within 5% (and 1 MiB) of the 10% one: the first tenth is the
warm-up (allocator pools, caches and the remembered-exits table filling up).

``python -m bench._soak KIND N`` runs one soak and prints one JSON object; ``--soak-scale``
multiplies every count (0.1 for a quick run; judge flatness at full scale: spawn + exit warms
up over its first 50,000 or so, so a small run can show a MiB or two of growth).
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from time import perf_counter

import structlog
import trio

import actorkit

SPAWN_EXIT = "spawn_exit"
RING = "ring"
CRASH = "crash"
COUNTS = {SPAWN_EXIT: 1_000_000, RING: 5_000_000, CRASH: 100_000}
"""Operations per soak at scale 1: spawns, messages, crashes."""
UNITS = {SPAWN_EXIT: "spawns", RING: "messages", CRASH: "crashes"}
BATCH = 1_000
RING_SIZE = 1_000
CRASH_LOCAL = 64 * 1024
MIB = 1024 * 1024
FLAT_FRACTION = 0.05
FLAT_SLACK = 1 * MIB
POINTS = (0.1, 0.5, 1.0)


def rss() -> int:
    """Current resident memory in bytes: VmRSS, or the peak (ru_maxrss) without /proc."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class _Samples:
    """RSS at the start and when the count of operations passes 10%, 50% and 100%."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.readings: dict[str, int] = {"start": rss()}
        self._marks = [(max(1, round(total * p)), f"{round(p * 100)}%") for p in POINTS]

    def add(self, count: int = 1) -> None:
        self.done += count
        while self._marks and self.done >= self._marks[0][0]:
            self.readings[self._marks.pop(0)[1]] = rss()


async def _returns(_proc: actorkit.Process) -> None:
    pass


async def _crashes(_proc: actorkit.Process) -> None:
    held = b"x" * CRASH_LOCAL  # a local of the failing frame: must not outlive the exit
    raise RuntimeError(f"soak crash holding {len(held)} bytes")


async def _batches(
    node: actorkit.Node,
    fn: Callable[[actorkit.Process], Awaitable[object]],
    total: int,
    samples: _Samples,
    check: Callable[[actorkit.Exit], bool],
) -> int:
    """Spawn ``fn`` ``total`` times, ``BATCH`` at a time, joining each batch with
    ``node.wait``; the number of exits ``check`` refused."""
    wrong = 0
    left = total
    while left:
        pids = [node.spawn(fn) for _ in range(min(BATCH, left))]
        for pid in pids:
            if not check(await node.wait(pid)):
                wrong += 1
        left -= len(pids)
        samples.add(len(pids))
    return wrong


def _returned(exit_: actorkit.Exit) -> bool:
    return exit_.error is None


def _crashed(exit_: actorkit.Exit) -> bool:
    return isinstance(exit_.error, RuntimeError)


async def _forward(proc: actorkit.Process, samples: _Samples, finished: Callable[[], None]) -> None:
    """A ring member: learn the next PID, then forward every token with one hop less."""
    after = (await proc.receive("next")).payload
    assert isinstance(after, actorkit.PID)
    while True:
        hops = (await proc.receive("token")).payload
        assert isinstance(hops, int)
        samples.add()
        if hops > 1:
            await proc.send(after, "token", hops - 1)
        else:
            finished()


async def _ring(node: actorkit.Node, total: int, samples: _Samples) -> int:
    """``total`` messages round a ring of ``RING_SIZE``; the number of tokens lost (0)."""
    size = min(RING_SIZE, total)
    tokens = size
    done = trio.Event()
    left = tokens

    def finished() -> None:
        nonlocal left
        left -= 1
        if left == 0:
            done.set()

    ring = [node.spawn(_forward, samples, finished) for _ in range(size)]
    for i, pid in enumerate(ring):
        await node.send(pid, "next", ring[(i + 1) % size])
    # Spread the hops so that the tokens' total is exactly ``total``.
    hops, extra = divmod(total, tokens)
    for i, pid in enumerate(ring):
        await node.send(pid, "token", hops + (1 if i < extra else 0))
    await done.wait()
    return left


async def _soak(kind: str, total: int) -> dict[str, object]:
    samples = _Samples(total)
    start = perf_counter()
    async with actorkit.open_node(name="soak") as node:
        if kind == SPAWN_EXIT:
            wrong = await _batches(node, _returns, total, samples, _returned)
        elif kind == CRASH:
            wrong = await _batches(node, _crashes, total, samples, _crashed)
        else:
            wrong = await _ring(node, total, samples)
        elapsed = perf_counter() - start
    return {
        "name": f"soak_{kind}",
        "count": samples.done,
        "unit": UNITS[kind],
        "seconds": round(elapsed, 1),
        "rate": round(samples.done / elapsed, 1),
        "wrong": wrong,
        "rss_mib": {k: round(v / MIB, 1) for k, v in samples.readings.items()},
    }


@dataclass(frozen=True)
class SoakResult:
    """One soak's figures: how much work, how fast, and resident memory along the way."""

    name: str
    count: int
    unit: str
    seconds: float
    rate: float
    wrong: int
    rss_mib: dict[str, float]

    @property
    def growth_mib(self) -> float:
        """Last reading minus the 10% one."""
        return self.rss_mib["100%"] - self.rss_mib["10%"]

    @property
    def flat(self) -> bool:
        tenth = self.rss_mib["10%"]
        return self.growth_mib <= max(tenth * FLAT_FRACTION, FLAT_SLACK / MIB)

    @property
    def ok(self) -> bool:
        return self.flat and self.wrong == 0

    def to_json(self) -> str:
        row = {
            "name": self.name,
            "count": self.count,
            "unit": self.unit,
            "seconds": self.seconds,
            "rate": self.rate,
            "wrong": self.wrong,
            "rss_mib": self.rss_mib,
            "growth_mib": round(self.growth_mib, 1),
            "flat": self.flat,
            "ok": self.ok,
        }
        return json.dumps(row)


_FORMAT = "{:<16} {:>10} {:<9} {:>8} {:>11} {:>7} {:>7} {:>7} {:>7} {:>7}  {}"
_COLUMNS = (
    "soak",
    "count",
    "unit",
    "seconds",
    "per second",
    "RSS 0",
    "10%",
    "50%",
    "100%",
    "growth",
    "flat",
)


def header() -> str:
    """The soak table's title and column names."""
    title = (
        "actorkit soak: each in a fresh subprocess; RSS in MiB at the start and after 10%, "
        "50% and 100% of the work; growth = 100% - 10%"
    )
    return f"{title}\n{_FORMAT.format(*_COLUMNS)}"


def row(result: SoakResult) -> str:
    """One table line (``NO`` in the last column if memory grew or an exit was wrong)."""
    rss_mib = result.rss_mib
    flat = "yes" if result.flat else "NO"
    if result.wrong:
        flat += f" ({result.wrong} wrong)"
    return _FORMAT.format(
        result.name,
        f"{result.count:,}",
        result.unit,
        f"{result.seconds:,.1f}",
        f"{result.rate:,.0f}",
        f"{rss_mib['start']:.1f}",
        f"{rss_mib['10%']:.1f}",
        f"{rss_mib['50%']:.1f}",
        f"{rss_mib['100%']:.1f}",
        f"{result.growth_mib:+.1f}",
        flat,
    )


def run_one(kind: str, scale: float) -> SoakResult:
    """One soak in a fresh interpreter, at ``scale`` times its full count."""
    total = max(1, round(COUNTS[kind] * scale))
    command = [sys.executable, "-m", "bench._soak", kind, str(total)]
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    fields = json.loads(out.splitlines()[-1])
    return SoakResult(**fields)


def _main() -> None:
    # Crashes are the point of the crash soak: keep the log to errors.
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    kind, total = sys.argv[1], int(sys.argv[2])
    if kind not in COUNTS:
        raise SystemExit(f"unknown soak {kind!r}; one of {', '.join(COUNTS)}")
    print(json.dumps(trio.run(_soak, kind, total)), flush=True)


if __name__ == "__main__":
    _main()
