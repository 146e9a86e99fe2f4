"""Fixtures of the sql tests: ``case``, parametrised over SQLite, PostgreSQL and MySQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from ._sql_cases import KINDS, Case, make_case


@pytest.fixture(params=KINDS)
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    """One backend of the contract (servers are found from the environment or skipped)."""
    return make_case(request.param, tmp_path)


@pytest.fixture(params=[kind for kind in KINDS if kind != "sqlite"])
def server_case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    """The backends with a server (and so a connection that can be lost)."""
    return make_case(request.param, tmp_path)


@pytest.fixture
def sqlite_case(tmp_path: Path) -> Case:
    """SQLite only (one shared connection, statements queued for it)."""
    return make_case("sqlite", tmp_path)


@pytest.fixture
def pg_case(tmp_path: Path) -> Case:
    """PostgreSQL only (for what only PostgreSQL does)."""
    return make_case("postgres", tmp_path)
