"""Handles a process holds between commands: transactions and prepared statements.

Handles are plain data (they can be journaled or sent in a message), but a transaction
and the statements prepared on it work only in the process that began it.
"""

from __future__ import annotations

import enum

import attrs

from actorkit._core._pid import PID


class Isolation(enum.StrEnum):
    """Transaction isolation levels (``Begin(isolation=...)``).

    PostgreSQL and MySQL/MariaDB set the level named. SQLite is always serializable, which
    satisfies every level, so any level is accepted there.
    """

    DEFAULT = "default"
    READ_UNCOMMITTED = "read_uncommitted"
    READ_COMMITTED = "read_committed"
    REPEATABLE_READ = "repeatable_read"
    SERIALIZABLE = "serializable"


@attrs.frozen
class Tx:
    """An open transaction on database ``db``, owned by process ``owner``."""

    db: str
    id: int
    owner: PID


@attrs.frozen
class Stmt:
    """A prepared statement on database ``db`` (on transaction ``tx`` when set)."""

    db: str
    id: int
    sql: str
    tx: int | None = None
