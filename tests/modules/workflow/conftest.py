"""Fixtures of the workflow tests: ``place``, a journal on SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ._wf import COUNTS, EVENTS, KINDS, Place, drop_place, make_place


@pytest.fixture(autouse=True)
def _fresh_counts() -> None:
    COUNTS.clear()
    EVENTS.clear()


@pytest.fixture(params=KINDS)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Place]:
    """A journal on each backend (PostgreSQL is found from the environment or skipped)."""
    found = make_place(request.param, tmp_path)
    yield found
    drop_place(found)


@pytest.fixture
def sqlite_place(tmp_path: Path) -> Place:
    """A journal in a SQLite file."""
    return make_place("sqlite", tmp_path)
