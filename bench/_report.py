"""One row of results, and how it is printed: a table or JSON lines."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass

RATE = "ops/s"
BYTES = "bytes"


@dataclass(frozen=True)
class Result:
    """Both figures of one measure; ``ratio`` is actorkit ÷ the other side.

    The other side is raw Trio, or, when ``peer`` names one (``asyncio``, ``pykka``), that
    library; ``raw_trio`` then holds the peer's figure. ``baseline`` says what it does.
    """

    name: str
    actorkit: float
    raw_trio: float
    unit: str
    baseline: str
    target: str | None = None
    ok: bool | None = None
    peer: str | None = None

    @property
    def ratio(self) -> float:
        return self.actorkit / self.raw_trio

    @classmethod
    def rate(
        cls,
        name: str,
        actorkit: float,
        raw: float,
        min_ratio: float | None,
        *,
        baseline: str,
        peer: str | None = None,
    ) -> Result:
        """A throughput row; the target (if any) is a least ratio."""
        if min_ratio is None:
            return cls(name, actorkit, raw, RATE, baseline, peer=peer)
        ok = actorkit / raw >= min_ratio
        return cls(name, actorkit, raw, RATE, baseline, f"ratio >= {min_ratio}", ok, peer)

    @classmethod
    def memory(
        cls,
        name: str,
        actorkit: float,
        raw: float,
        max_bytes: int | None,
        *,
        baseline: str,
        peer: str | None = None,
    ) -> Result:
        """A memory row (lower is better, so a ratio below 1 means actorkit is smaller);
        the target, if any, is an absolute ceiling on actorkit's bytes."""
        if max_bytes is None:
            return cls(name, actorkit, raw, BYTES, baseline, peer=peer)
        ok = actorkit <= max_bytes
        return cls(name, actorkit, raw, BYTES, baseline, f"actorkit <= {max_bytes} B", ok, peer)

    def to_json(self) -> str:
        row: dict[str, object] = {
            "name": self.name,
            "actorkit": round(self.actorkit, 1),
            "raw_trio": round(self.raw_trio, 1),
            "ratio": round(self.ratio, 3),
            "unit": self.unit,
            "baseline": self.baseline,
        }
        if self.peer is not None:
            row["peer"] = self.peer
        if self.target is not None:
            row["target"] = self.target
            row["ok"] = self.ok
        return json.dumps(row)


_COLUMNS = ("measure", "actorkit", "other", "unit", "ratio", "target", "ok", "other side")
_FORMAT = "{:<30} {:>12} {:>12} {:<6} {:>7}  {:<20} {:<3} {}"


def header(reps: int, statistic: str = "median") -> str:
    """The table's title and column names; ``statistic`` says how runs were summarised."""
    title = (
        f"actorkit vs raw Trio (or a peer): rates are the {statistic} of {reps} runs, "
        "alternating the sides; memory is one fresh subprocess each; ratio = actorkit / other "
        "(rates: higher = actorkit faster; bytes: lower = actorkit smaller)"
    )
    return f"{title}\n{_FORMAT.format(*_COLUMNS)}"


def row(result: Result) -> str:
    """One table line; the last column says what the other side does."""
    ok = "" if result.ok is None else ("yes" if result.ok else "NO")
    other = result.baseline if result.peer is None else f"{result.peer}: {result.baseline}"
    return _FORMAT.format(
        result.name,
        f"{result.actorkit:,.0f}",
        f"{result.raw_trio:,.0f}",
        result.unit,
        f"{result.ratio:.2f}",
        result.target or "(info)",
        ok,
        other,
    )


def print_alone(prog: str, doc: str | None, measure: Callable[[bool], list[Result]]) -> None:
    """``python -m <prog> [--quick]``: one measure's rows as a table (medians of 5 runs,
    3 with ``--quick``)."""
    parser = argparse.ArgumentParser(prog=f"python -m {prog}", description=doc)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    quick = parser.parse_args().quick
    print(header(3 if quick else 5, "median"), flush=True)
    for result in measure(quick):
        print(row(result), flush=True)
