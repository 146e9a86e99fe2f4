"""Installing the router to other nodes, and what it delivers that is not a plain event."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core._events import LinkDown
from ..errors import LinkedExitError

if TYPE_CHECKING:
    from .._api._node import Node
    from .._core._pid import PID
    from .._core._ref import ProcessRef
    from .._core._remote import Remote


def set_remote(node: Node, remote: Remote | None) -> None:
    """Install (or, with None, remove) the router for PIDs of other nodes."""
    node._remote = remote  # pyright: ignore[reportPrivateUsage]


def link_down(proc: ProcessRef, pid: PID, error: BaseException) -> None:
    """A process linked to ``proc`` (on another node) exited with ``error``: a trapping
    ``proc`` gets ``LinkDown``, any other exits with ``LinkedExitError``, as for a local link."""
    if proc.trap_links:
        proc.post(LinkDown(pid, error))
    else:
        proc.signal_exit(LinkedExitError(pid, error))
