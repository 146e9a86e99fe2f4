"""The router to other nodes: what the kernel does with a PID whose node is not this one.

A node alone has no router, and a PID of another node is a dead letter. The cluster installs
one with ``lowlevel.set_remote``; from then on a send, a request, a reply, a monitor or a link
that names another node's PID is handed to it, with the same API as a local one (DESIGN.md
§5: "a change of transport, not of API"). The router encodes at the call, so a payload that
cannot cross the wire fails the sender's call, and delivers what arrives from other nodes
through ``deliver_reply``, ``lowlevel.link_down`` and the public :class:`ProcessRef`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ._pid import PID

if TYPE_CHECKING:
    from ._events import Message
    from ._node import Runtime
    from ._ref import ProcessRef


class Remote(Protocol):
    """What a node hands to the cluster: everything addressed to another node's PID.

    Each method runs in the caller's call and must not block: queue the work (a batch per
    destination node) and return. Raise to fail the caller's call (a payload that cannot be
    encoded, a node that is known to be down).
    """

    def send(self, dest: PID, msg: Message) -> None:
        """Carry ``msg`` (a :class:`Message` or a :class:`Request`) to ``dest``'s mailbox."""
        ...

    def reply(self, caller: PID, ref: int, value: object, error: BaseException | None) -> None:
        """Carry the answer to request ``ref`` back to ``caller``."""
        ...

    def monitor(self, watcher: ProcessRef, target: PID) -> None:
        """Make ``watcher`` get an ``Exit`` when ``target`` exits (``noconnection`` when its
        node goes down, ``noproc`` when it is already gone)."""
        ...

    def unmonitor(self, watcher: ProcessRef, target: PID) -> bool:
        """Drop one monitor of ``watcher`` on ``target``; True if there was one."""
        ...

    def is_monitoring(self, watcher: ProcessRef, target: PID) -> bool:
        """True while ``watcher`` holds a monitor on ``target``."""
        ...

    def link(self, proc: ProcessRef, target: PID) -> None:
        """Link ``proc`` and ``target`` both ways."""
        ...

    def unlink(self, proc: ProcessRef, target: PID) -> None:
        """Remove the link between ``proc`` and ``target``, if any."""
        ...

    def cancel(self, sender: PID | None, target: PID, reason: str) -> None:
        """Queue a ``Cancel(reason)`` on ``target``'s priority lane."""
        ...

    def terminate(
        self,
        target: PID,
        reason: str,
        grace: float | None,
        done: Callable[[object, BaseException | None], None],
    ) -> None:
        """Stop ``target`` as ``Terminate`` does (a ``Cancel`` and ``grace`` seconds, then
        ``TerminatedError``; at once without a grace); ``done(True, None)`` once it has
        exited, ``done(False, None)`` if it was already gone, ``done(None, error)`` if it
        cannot be known (its node went down)."""
        ...


def remote_for(node: Runtime, target: object) -> Remote | None:
    """The router that carries ``target``, if it is another node's PID and one is installed."""
    if type(target) is PID and target.node != node.name:
        return node._remote  # pyright: ignore[reportPrivateUsage]
    return None
