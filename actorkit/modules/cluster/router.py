"""The node's router to other nodes (``lowlevel.Remote``) and its tables of remote links
and monitors, kept on both ends: a monitor of a remote process is known to the watcher's
node (to deliver ``noconnection`` if the target's node goes down) and to the target's
node (to send the ``Exit``); a link likewise on both."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import trio

from actorkit import PID, Request
from actorkit.lowlevel import Exit, ProcessRef, link_down

from . import frames as f
from .errors import NoConnectionError
from .state import Pending

if TYPE_CHECKING:
    from actorkit.lowlevel import Message

    from .state import ClusterState


class Router:
    """``lowlevel.Remote`` for one cluster member."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.watching: dict[PID, set[ProcessRef]] = {}  # remote target -> local watchers
        self.watches: dict[ProcessRef, set[PID]] = {}  # local watcher -> remote targets
        self.watched_by: dict[ProcessRef, set[PID]] = {}  # local target -> remote watchers
        self.links: dict[ProcessRef, set[PID]] = {}  # local process -> remote peers

    # -- lowlevel.Remote -----------------------------------------------------------------

    def send(self, dest: PID, msg: Message) -> None:
        """Queue a message or a request for ``dest``; a down node is a dead letter."""
        state = self.state
        if type(msg) is Request:
            left = msg.deadline - trio.current_time()
            frame = [f.REQ, msg.sender, dest, msg.topic, msg.payload, msg.ref, left]
        else:
            frame = [f.MSG, msg.sender, dest, msg.topic, msg.payload]
        if not self._live(dest) or not state.queue(dest.node, frame, f"message {msg.topic!r}"):
            raise state.node.dead_letter(dest, msg.topic)

    def reply(self, caller: PID, ref: int, value: object, error: BaseException | None) -> None:
        """Queue the answer to ``caller``'s request ``ref`` (dropped if its node is down)."""
        if self._live(caller):
            self.state.queue(caller.node, [f.REPLY, caller, ref, value, error], "a reply")

    def monitor(self, watcher: ProcessRef, target: PID) -> None:
        """Watch ``target``; its node's going down delivers ``Exit`` reason noconnection."""
        if not self._live(target):
            watcher.post(_lost(target))
            return
        if self.note_watch(watcher, target):
            self.state.queue(target.node, [f.MON, watcher.pid, target], "a monitor")

    def unmonitor(self, watcher: ProcessRef, target: PID) -> bool:
        """Drop ``watcher``'s monitor on ``target``; True if there was one."""
        if not self.forget_watch(watcher, target):
            return False
        self.state.queue(target.node, [f.DEMON, watcher.pid, target], "a demonitor")
        return True

    def is_monitoring(self, watcher: ProcessRef, target: PID) -> bool:
        """True while ``watcher`` watches ``target``."""
        return watcher in self.watching.get(target, ())

    def link(self, proc: ProcessRef, target: PID) -> None:
        """Link ``proc`` with ``target``; a down node answers with ``LinkDown``."""
        if not self._live(target):
            link_down(proc, target, _no_connection(target))
            return
        self.note_link(proc, target)
        self.state.queue(target.node, [f.LINK, proc.pid, target], "a link")

    def unlink(self, proc: ProcessRef, target: PID) -> None:
        """Remove the link between ``proc`` and ``target``."""
        peers = self.links.get(proc)
        if peers is not None and target in peers:
            peers.discard(target)
            self.state.queue(target.node, [f.UNLINK, proc.pid, target], "an unlink")

    def cancel(self, sender: PID | None, target: PID, reason: str) -> None:
        """Queue a ``Cancel`` for ``target``."""
        if not self._live(target):
            raise self.state.node.dead_letter(target, "cancel")
        self.state.queue(target.node, [f.CANCEL, sender, target, reason], "a cancel")

    def terminate(
        self,
        target: PID,
        reason: str,
        grace: float | None,
        done: Callable[[object, BaseException | None], None],
    ) -> None:
        """Ask ``target``'s node to stop it; its answer (or its node going down) ends it."""
        state = self.state
        if not self._live(target):
            done(False, None)  # its node is gone, and the process with it
            return
        ref = next(state.refs)
        state.queue(target.node, [f.TERMINATE, state.name, ref, target, reason, grace], "a stop")
        state.pending[ref] = Pending(target.node, done)

    # -- the tables (no frames) ---------------------------------------------------------

    def note_watch(self, watcher: ProcessRef, target: PID) -> bool:
        """Record that local ``watcher`` watches remote ``target``; False if it did."""
        watchers = self.watching.setdefault(target, set())
        if watcher in watchers:
            return False
        watchers.add(watcher)
        self.watches.setdefault(watcher, set()).add(target)
        return True

    def note_watched(self, target: ProcessRef, watcher: PID) -> None:
        """Record that remote ``watcher`` watches local ``target``."""
        self.watched_by.setdefault(target, set()).add(watcher)

    def note_link(self, proc: ProcessRef, peer: PID) -> None:
        """Record the link between local ``proc`` and remote ``peer``."""
        self.links.setdefault(proc, set()).add(peer)

    # -- the other end and the exits ---------------------------------------------------

    def on_exit(self, proc: ProcessRef, result: object, error: BaseException | None) -> None:
        """A local process exited: tell the remote processes that watch it or link to it."""
        state = self.state
        for target in self.watches.pop(proc, ()):
            self.forget_watch(proc, target)
            state.queue(target.node, [f.DEMON, proc.pid, target], "a demonitor")
        watchers = self.watched_by.pop(proc, None)
        if watchers:
            reason = Exit(proc.pid, result, error).reason
            for watcher in watchers:
                self._queue_exit(proc.pid, watcher, result, error, reason)
        for peer in self.links.pop(proc, ()):
            if error is None:
                state.queue(peer.node, [f.UNLINK, proc.pid, peer], "an unlink")
            else:
                state.queue(peer.node, [f.LDOWN, proc.pid, peer, error], "a link down")

    def node_down(self, node: str) -> None:
        """Every watcher and link of a process on ``node`` hears ``noconnection``."""
        for target in [t for t in self.watching if t.node == node]:
            for watcher in self.watching.pop(target):
                self._forget_index(watcher, target)
                watcher.post(_lost(target))
        for proc, peers in list(self.links.items()):
            for peer in [p for p in peers if p.node == node]:
                peers.discard(peer)
                link_down(proc, peer, _no_connection(peer))
        for remote_watchers in self.watched_by.values():
            for pid in [w for w in remote_watchers if w.node == node]:
                remote_watchers.discard(pid)

    def _queue_exit(
        self, pid: PID, watcher: PID, result: object, error: BaseException | None, reason: str
    ) -> None:
        frame = [f.EXIT, pid, watcher, result, error, reason]
        try:
            self.state.queue(watcher.node, frame, "an exit")
        except TypeError:  # a result that cannot cross: the watcher still hears of the exit
            self.state.queue(watcher.node, [f.EXIT, pid, watcher, None, error, reason], "an exit")

    def forget_watch(self, watcher: ProcessRef, target: PID) -> bool:
        """Drop ``watcher``'s monitor of ``target`` from the tables (no frame); True if held."""
        watchers = self.watching.get(target)
        if watchers is None or watcher not in watchers:
            return False
        watchers.discard(watcher)
        if not watchers:
            del self.watching[target]
        self._forget_index(watcher, target)
        return True

    def _forget_index(self, watcher: ProcessRef, target: PID) -> None:
        targets = self.watches.get(watcher)
        if targets is not None:
            targets.discard(target)
            if not targets:
                del self.watches[watcher]

    def _live(self, pid: PID) -> bool:
        creation = self.state.creation_of(pid.node)
        return creation is not None and (not pid.creation or pid.creation == creation)


def _no_connection(pid: PID) -> NoConnectionError:
    return NoConnectionError(f"the node of {pid} is down or unreachable")


def _lost(pid: PID) -> Exit:
    return Exit(pid, None, _no_connection(pid), "noconnection")
