"""Names people see: a supervised child's logs carry its supervisor's path and its child id.

The supervisor spawns the child's function through :func:`labelled`, which binds
``supervisor`` and ``child`` with ``structlog.contextvars`` inside the child's own task,
so every line the child logs, and the runtime's ``process_failed`` / ``process_exited``
lines about it, say which child of which supervisor it is. The kernel binds ``pid`` and
``process`` the same way; an explicit keyword argument still wins over both. The label
statistics show is set by the supervisor as it spawns the child (:func:`label_child`), so
a snapshot taken before the child first runs shows it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from actorkit.lowlevel import lookup, set_label

from ._spec import ProcessFn

if TYPE_CHECKING:
    from actorkit import PID, Process


def labelled(fn: ProcessFn, supervisor: str, child: str) -> ProcessFn:
    """``fn`` run with ``supervisor`` and ``child`` bound in the child's log context.

    It keeps ``fn``'s name, so ``node.statistics()`` and ``actorkit top`` show the same
    function as an unsupervised spawn of ``fn`` would.
    """

    async def supervised(proc: Process, *args: object) -> object:
        structlog.contextvars.bind_contextvars(supervisor=supervisor, child=child)
        return await fn(proc, *args)

    supervised.__qualname__ = getattr(fn, "__qualname__", "") or type(fn).__name__
    supervised.__name__ = getattr(fn, "__name__", "") or supervised.__qualname__
    return supervised


def label_child(parent: Process, pid: PID, supervisor: str, child: str) -> None:
    """Label the just-spawned ``pid`` ``<supervisor>/<child>`` for statistics (a child that
    has exited already is left alone)."""
    ref = lookup(parent.node, pid)
    if ref is not None:
        set_label(ref, f"{supervisor}/{child}")
