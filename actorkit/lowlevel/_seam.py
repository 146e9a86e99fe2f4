"""Per-process state and a per-process command seam, for modules that act on one process.

- :class:`ProcessVar` is typed state kept on one process (a security scope, a workflow's
  journal), dropped when the process is forgotten. Copy it to a child with a spawn hook.
- A **seam** ``seam(ctx, cmd, tag, receiver, next)`` stands between one process and the
  handlers of its commands: every command that process runs goes through it, after the
  registry lookup (so the test kit's fakes are what ``next`` runs). It may refuse the
  command (raise, or complete ``tag`` with an error), answer it itself
  (``receiver.complete_yield``), or hand it on with ``next(ctx, cmd, tag, receiver)``,
  passing its own receiver to see the result first. Seams stack: the last one added is
  the outermost. A process with no seam pays one attribute check per command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from .._api._context import Handler, HandlerContext, Seam
from .._core._handler import Receiver
from .._core._proc_state import ProcessState

if TYPE_CHECKING:
    from .._core._ref import ProcessRef

T = TypeVar("T")


class ProcessVar(Generic[T]):
    """One typed slot of state on every process: ``SCOPE = ProcessVar[Scope]("scope")``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<ProcessVar {self.name!r}>"

    def find(self, proc: ProcessRef) -> T | None:
        """The value on ``proc``, or None if it was never set."""
        values = _record(proc).pvars
        return None if values is None else cast("T | None", values.get(self))

    def get(self, proc: ProcessRef) -> T:
        """The value on ``proc``; ``LookupError`` naming the variable if it was never set."""
        found = self.find(proc)
        if found is None:
            raise LookupError(f"{self!r} is not set on process {proc.pid}")
        return found

    def set(self, proc: ProcessRef, value: T) -> None:
        """Give the variable a value on ``proc``."""
        record = _record(proc)
        if record.pvars is None:
            record.pvars = {}
        record.pvars[self] = value

    def reset(self, proc: ProcessRef) -> None:
        """Remove the value from ``proc``."""
        values = _record(proc).pvars
        if values is not None:
            values.pop(self, None)


def add_seam(proc: ProcessRef, seam: Seam) -> None:
    """Put ``seam`` between ``proc`` and its commands' handlers (outermost)."""
    record = _record(proc)
    record.seams = (*record.seams, seam) if record.seams else (seam,)
    record.seam = _compose(record.seams)


def remove_seam(proc: ProcessRef, seam: Seam) -> None:
    """Undo :func:`add_seam`; ``ValueError`` if ``seam`` was not added."""
    record = _record(proc)
    seams = list(record.seams or ())
    seams.remove(seam)
    record.seams = tuple(seams) or None
    record.seam = _compose(seams) if seams else None


def _compose(seams: tuple[Seam, ...] | list[Seam]) -> Seam:
    composed = seams[0]
    for outer in seams[1:]:
        composed = _stack(outer, composed)
    return composed


def _stack(outer: Seam, inner: Seam) -> Seam:
    def seam(
        ctx: HandlerContext, cmd: object, tag: int, receiver: Receiver, handler: Handler
    ) -> None:
        def next_(c: HandlerContext, m: object, t: int, r: Receiver) -> None:
            inner(c, m, t, r, handler)

        outer(ctx, cmd, tag, receiver, next_)

    return seam


def _record(ref: ProcessRef) -> ProcessState:
    if not isinstance(ref, ProcessState):
        raise TypeError(f"not a process of this node: {ref!r}")
    return ref
