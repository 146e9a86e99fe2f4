"""Fixtures of the sql tests: ``case``, parametrised over SQLite, PostgreSQL and MySQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._sql_cases import KINDS, Case, make_case


@pytest.fixture(params=KINDS)
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    """One backend of the contract (servers are found from the environment or skipped)."""
    return make_case(request.param, tmp_path)


@pytest.fixture
def pg_case(tmp_path: Path) -> Case:
    """PostgreSQL only (for what only PostgreSQL does)."""
    return make_case("postgres", tmp_path)
