"""What an activity function receives: its idempotency key, its attempt, and (when it is
transactional) statements in the transaction that also journals its result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from actorkit.modules.sql import ExecResult, Rows

from .errors import NotAllowedError

if TYPE_CHECKING:
    from actorkit.modules.sql.backends.base import Session

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
        kind: the journal's database, ``"sqlite"`` or ``"postgres"`` (its placeholders).
    """

    def __init__(
        self,
        key: str,
        attempt: int,
        session: Session | None,
        where: tuple[str, str] = ("sqlite", ""),
    ) -> None:
        self.key = key
        self.attempt = attempt
        self._session = session
        self.kind, self._db = where

    async def execute(self, sql: str, *params: object) -> ExecResult:
        """Run a statement in the activity's transaction (placeholders: ``?`` on SQLite,
        ``%s`` on PostgreSQL). A checkpoint.

        Raises:
            NotAllowedError: the activity is not :func:`transactional`.
        """
        result: Any = await self._run(sql, params, rows=False)
        return result  # type: ignore[no-any-return]

    async def query(self, sql: str, *params: object) -> Rows:
        """Run a query in the activity's transaction. A checkpoint."""
        result: Any = await self._run(sql, params, rows=True)
        return result  # type: ignore[no-any-return]

    async def _run(self, sql: str, params: tuple[object, ...], *, rows: bool) -> object:
        from actorkit.modules.sql.backends.base import Op  # noqa: PLC0415

        if self._session is None:
            raise NotAllowedError("only a transactional activity runs statements in the journal")
        return await self._session.run(Op("workflow activity", self._db, sql, params, rows))
