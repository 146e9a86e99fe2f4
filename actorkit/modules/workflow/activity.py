"""What an activity function receives: its idempotency key, its attempt, and (when it is
transactional) statements in the transaction that also journals its result."""

from __future__ import annotations

from typing import TypeVar

from actorkit.modules.sql import ExecResult, Rows, Statements

from .errors import NotAllowedError

F = TypeVar("F")
_MARK = "__actorkit_transactional__"


def transactional(fn: F) -> F:
    """Mark an activity as transactional: it runs in a transaction on the journal's
    database, and its result is journaled in that same transaction (exactly once)."""
    setattr(fn, _MARK, True)
    return fn


def is_transactional(fn: object) -> bool:
    """True for an activity marked with :func:`transactional`."""
    return getattr(fn, _MARK, False) is True


class Activity:
    """The context of one attempt of an activity: ``async def charge(act, *args)``.

    Attributes:
        key: stable across attempts and restarts (``workflow:run:position``): pass it to
            the service you call, so that a repeated attempt is recognised.
        attempt: 1 for the first attempt, then 2, 3…
        kind: the journal's database, ``"sqlite"`` or ``"postgres"`` (its placeholders);
            None for an activity that is not transactional.
    """

    def __init__(self, key: str, attempt: int, tx: Statements | None = None) -> None:
        self.key = key
        self.attempt = attempt
        self._tx = tx
        self.kind = None if tx is None else tx.kind

    async def execute(self, sql: str, *params: object) -> ExecResult:
        """Run a statement in the activity's transaction (placeholders: ``?`` on SQLite,
        ``%s`` on PostgreSQL). A checkpoint.

        Raises:
            NotAllowedError: the activity is not :func:`transactional`.
            SqlError: the statement failed (the transaction is rolled back when the
                error leaves the activity).
        """
        return await self._statements().execute(sql, *params)

    async def query(self, sql: str, *params: object) -> Rows:
        """Run a query in the activity's transaction. A checkpoint.

        Raises:
            NotAllowedError: the activity is not :func:`transactional`.
        """
        return await self._statements().query(sql, *params)

    def _statements(self) -> Statements:
        if self._tx is None:
            raise NotAllowedError("only a transactional activity runs statements in the journal")
        return self._tx
