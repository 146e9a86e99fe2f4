"""What statements return: ``Rows`` for queries, ``ExecResult`` for everything else."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeAlias

import attrs

Params: TypeAlias = tuple[object, ...] | Mapping[str, object]
"""Bound parameters: a tuple for positional placeholders, a mapping for named ones."""

ParamsIn: TypeAlias = Sequence[object] | Mapping[str, object] | None
"""What commands accept as parameters (sequences become tuples, None no parameters)."""


@attrs.frozen
class Rows:
    """The result of a query: column names and rows of typed values, in order.

    Values are what the driver returns for each column type (``int``, ``float``, ``str``,
    ``bytes``, ``None``, and on PostgreSQL/MySQL also ``Decimal``, ``datetime``, …).

    Attributes:
        columns: the column names, as the statement labels them.
        rows: one tuple per row, values in column order.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts keyed by column name (a later duplicate name wins)."""
        columns = self.columns
        return [dict(zip(columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        """The first column of the first row, or None when there are no rows."""
        return self.rows[0][0] if self.rows and self.columns else None


@attrs.frozen
class ExecResult:
    """The result of a statement run with ``Execute``.

    Attributes:
        rows_affected: rows inserted, updated or deleted (0 when the backend reports none,
            e.g. for DDL).
        last_insert_id: the backend's last inserted row ID: SQLite's ``last_insert_rowid()``,
            MySQL's ``LAST_INSERT_ID()``; always None on PostgreSQL (use ``RETURNING``).
    """

    rows_affected: int
    last_insert_id: int | None
