"""A workflow's saved history: its current run's journal, exported to be replayed later.

:func:`load_history` reads it from the journal; :meth:`History.dumps` and
:meth:`History.loads` turn it into JSON and back (through the module's cattrs converter),
so it can be kept in a file beside the tests (:meth:`History.save`, :meth:`History.load`)
and replayed against new code with :func:`~actorkit.modules.workflow.replay`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import attrs
import cattrs

from actorkit import Process

from .codec import CONVERTER
from .errors import WorkflowArgumentError, WorkflowNotFoundError
from .state import engine

FORMAT = 1
"""The version of the JSON written by :meth:`History.dumps`."""


@attrs.frozen
class HistoryEntry:
    """One journaled command: its position, its signature, its result or its error
    (journal text, as the journal holds them)."""

    position: int
    command: str
    result: str | None = None
    error: str | None = None


@attrs.frozen
class History:
    """A workflow's current run as journaled.

    Attributes:
        workflow_id: the workflow's ID.
        workflow: the registered name of its function.
        run: its run number (the journal holds only the current run).
        args: the run's arguments (journal text).
        status: ``running``, ``completed``, ``failed`` or ``cancelled`` when exported.
        result: its result when completed (journal text).
        error: what it failed with when failed or cancelled (``Type: message``).
        entries: the journaled commands, by position.
    """

    workflow_id: str
    workflow: str
    run: int
    args: str
    status: str
    entries: tuple[HistoryEntry, ...]
    result: str | None = None
    error: str | None = None

    def dumps(self) -> str:
        """The history as JSON text."""
        return json.dumps({"format": FORMAT, **CONVERTER.unstructure(self)}, indent=1)

    @classmethod
    def loads(cls, text: str) -> History:
        """The history :meth:`dumps` wrote.

        Raises:
            WorkflowArgumentError: the text is not such a history (the message says why).
        """
        try:
            data: Any = json.loads(text)
            found = _format_of(data)
            if found != FORMAT:
                raise ValueError(f"format must be {FORMAT}, got {found!r}")
            return CONVERTER.structure(data, cls)
        except (ValueError, TypeError, KeyError, cattrs.BaseValidationError) as exc:
            reason = _reason(exc)
            raise WorkflowArgumentError(
                "workflow.History.loads", "text", f"a history from History.dumps ({reason})", text
            ) from None

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the history to the file ``path`` (JSON, UTF-8)."""
        Path(path).write_text(self.dumps(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> History:
        """Read the history :meth:`save` wrote to ``path``.

        Raises:
            OSError: the file cannot be read.
            WorkflowArgumentError: it does not hold a history.
        """
        return cls.loads(Path(path).read_text(encoding="utf-8"))


async def load_history(proc: Process, workflow_id: str) -> History:
    """The workflow's current run as the node's workflow journal holds it. A checkpoint.

    Raises:
        WorkflowNotFoundError: no workflow has that ID.
        WorkflowError: the workflow module is not booted on the node.
    """
    store = engine(proc.node).store
    row = await store.workflow(workflow_id)
    if row is None:
        raise WorkflowNotFoundError(f"no workflow has the ID {workflow_id!r}")
    journal = await store.history(workflow_id, row.run)
    entries = tuple(
        HistoryEntry(pos, e.command, e.result, e.error) for pos, e in sorted(journal.items())
    )
    return History(row.id, row.name, row.run, row.args, row.status, entries, row.result, row.error)


def _reason(exc: Exception) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        return "; ".join(cattrs.transform_error(exc))
    return str(exc)


def _format_of(data: object) -> object:
    """Take the ``format`` key out of ``data`` (None if it is not a JSON object)."""
    if not isinstance(data, dict):
        return None
    fields: dict[str, object] = data  # pyright: ignore[reportUnknownVariableType]
    return fields.pop("format", None)
