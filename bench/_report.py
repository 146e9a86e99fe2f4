"""One row of results, and how it is printed: a table or JSON lines."""

from __future__ import annotations

import json
from dataclasses import dataclass

RATE = "ops/s"
BYTES = "bytes"


@dataclass(frozen=True)
class Result:
    """Both figures of one measure; ``ratio`` is actorkit ÷ raw Trio."""

    name: str
    actorkit: float
    raw_trio: float
    unit: str
    target: str | None = None
    ok: bool | None = None

    @property
    def ratio(self) -> float:
        return self.actorkit / self.raw_trio

    @classmethod
    def rate(cls, name: str, actorkit: float, raw: float, min_ratio: float | None) -> Result:
        """A throughput row; the target (if any) is a least ratio."""
        if min_ratio is None:
            return cls(name, actorkit, raw, RATE)
        ok = actorkit / raw >= min_ratio
        return cls(name, actorkit, raw, RATE, f"ratio >= {min_ratio}", ok)

    @classmethod
    def memory(cls, name: str, actorkit: float, raw: float, max_bytes: int) -> Result:
        """A memory row; the target is an absolute ceiling on actorkit's bytes."""
        return cls(name, actorkit, raw, BYTES, f"actorkit <= {max_bytes} B", actorkit <= max_bytes)

    def to_json(self) -> str:
        row: dict[str, object] = {
            "name": self.name,
            "actorkit": round(self.actorkit, 1),
            "raw_trio": round(self.raw_trio, 1),
            "ratio": round(self.ratio, 3),
            "unit": self.unit,
        }
        if self.target is not None:
            row["target"] = self.target
            row["ok"] = self.ok
        return json.dumps(row)


_COLUMNS = ("measure", "actorkit", "raw trio", "unit", "ratio", "target", "ok")
_FORMAT = "{:<20} {:>12} {:>12} {:<6} {:>7}  {:<20} {}"


def header(reps: int, statistic: str = "median") -> str:
    """The table's title and column names; ``statistic`` says how runs were summarised."""
    title = (
        f"actorkit vs raw Trio: rates are the {statistic} of {reps} runs, alternating raw "
        "and actorkit; memory is one fresh subprocess each; ratio = actorkit / raw"
    )
    return f"{title}\n{_FORMAT.format(*_COLUMNS)}"


def row(result: Result) -> str:
    """One table line."""
    ok = "" if result.ok is None else ("yes" if result.ok else "NO")
    return _FORMAT.format(
        result.name,
        f"{result.actorkit:,.0f}",
        f"{result.raw_trio:,.0f}",
        result.unit,
        f"{result.ratio:.2f}",
        result.target or "(info)",
        ok,
    )
