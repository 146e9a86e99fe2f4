"""Handles a process holds between commands: transactions and prepared statements.

Handles are plain data (they can be journaled or sent in a message), but a transaction
and the statements prepared on it work only in the process that began it.
"""

from __future__ import annotations

import enum

import attrs

from actorkit import PID


class Isolation(enum.StrEnum):
    """Transaction isolation levels (``Begin(isolation=...)``; the names as strings, in
    any case, with spaces or ``_``, are accepted too: ``"SERIALIZABLE"``, ``"read committed"``).

    ==================  =========================  =========================  ============
    level               PostgreSQL                 MySQL / MariaDB (InnoDB)   SQLite
    ==================  =========================  =========================  ============
    DEFAULT             the server's (read         the server's (repeatable   serializable
                        committed unless set)      read unless set)
    READ_UNCOMMITTED    read uncommitted (runs     read uncommitted           serializable
                        as read committed)
    READ_COMMITTED      read committed             read committed             serializable
    REPEATABLE_READ     repeatable read            repeatable read            serializable
    SERIALIZABLE        serializable               serializable               serializable
    ==================  =========================  =========================  ============

    SQLite has one level, serializable: every level runs as it, which is stricter than asked
    (the SQL standard allows a stronger level than the one requested).
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
