"""What arrives from other nodes: each frame kind's handler, in batch order."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import structlog
import trio

from actorkit import PID, Request
from actorkit.errors import NoProcessError, TerminatedError
from actorkit.lowlevel import Cancel, Exit, Message, deliver_reply, link_down, lookup

from . import forwarding
from . import frames as f
from .downs import node_down, node_up
from .errors import UnknownFunctionError

if TYPE_CHECKING:
    from actorkit.lowlevel import ProcessRef

    from .state import ClusterState

Frame = list[Any]
log = structlog.get_logger("actorkit.cluster")


async def handle_batch(state: ClusterState, batch: list[Frame]) -> None:
    """Apply one batch's frames in order (a full mailbox makes it wait: backpressure).

    A frame that cannot be applied (a malformed one, from a node of another version, say)
    is logged and skipped: it never stops the node's inbox."""
    for frame in batch:
        state.received += 1
        try:
            await _apply(state, frame)
        except Exception:
            state.bad_frames += 1
            log.exception("frame_failed", node=state.name, frame=repr(frame)[:200])


async def _apply(state: ClusterState, frame: Frame) -> None:
    kind = frame[0]
    if kind <= f.REQ:
        await _deliver(state, frame)
    elif kind in (f.VMSG, f.ACTIVATE):
        await state.activations.on_frame(frame)
    else:
        _HANDLERS[kind](state, frame)


async def _deliver(state: ClusterState, frame: Frame) -> None:
    if frame[0] == f.MSG:
        _, sender, dest, topic, payload = frame
        event: Message = Message(topic, payload, sender)
    else:
        _, sender, dest, topic, payload, ref, left = frame
        event = Request(topic, payload, sender, ref, trio.current_time() + left)
    await deliver(state, dest, event)


async def deliver(state: ClusterState, dest: PID | None, event: Message) -> None:
    """Put a message in a local process's mailbox, waiting for room; a dead letter if none."""
    target = lookup(state.node, dest) if dest is not None else None
    if target is None or not (target.offer(event) or await target.deliver(event)):
        state.dead_letters += 1
        state.node.dead_letter(dest, event.topic)


def _reply(state: ClusterState, frame: Frame) -> None:
    _, caller, ref, value, error = frame
    deliver_reply(state.node, caller, ref, value, error)


def _monitor(state: ClusterState, frame: Frame) -> None:
    _, watcher, target = frame
    proc = lookup(state.node, target)
    if proc is None or not proc.alive:
        error = NoProcessError(target)
        state.queue(watcher.node, [f.EXIT, target, watcher, None, error, "noproc"], "an exit")
        return
    state.router.note_watched(proc, watcher)


def _demonitor(state: ClusterState, frame: Frame) -> None:
    _, watcher, target = frame
    proc = lookup(state.node, target)
    if proc is not None:
        state.router.watched_by.get(proc, set()).discard(watcher)


def _link(state: ClusterState, frame: Frame) -> None:
    _, peer, local = frame
    proc = lookup(state.node, local)
    if proc is None or not proc.alive:
        error = NoProcessError(local, "cannot link")
        state.queue(peer.node, [f.LDOWN, local, peer, error], "a link down")
        return
    state.router.note_link(proc, peer)


def _unlink(state: ClusterState, frame: Frame) -> None:
    _, peer, local = frame
    proc = lookup(state.node, local)
    if proc is not None:
        state.router.links.get(proc, set()).discard(peer)


def _exit(state: ClusterState, frame: Frame) -> None:
    _, pid, watcher, result, error, reason = frame
    _with(state, watcher, lambda proc: _exited(state, proc, pid, Exit(pid, result, error, reason)))


def _exited(state: ClusterState, proc: ProcessRef, pid: PID, event: Exit) -> None:
    if state.router.forget_watch(proc, pid):
        proc.post(event)


def _link_down(state: ClusterState, frame: Frame) -> None:
    _, pid, linked, error = frame
    proc = lookup(state.node, linked)
    peers = state.router.links.get(proc) if proc is not None else None
    if proc is not None and peers is not None and pid in peers:
        peers.discard(pid)
        link_down(proc, pid, error)


def _cancel(state: ClusterState, frame: Frame) -> None:
    _, sender, target, reason = frame
    _with(state, target, lambda proc: proc.post(Cancel(reason, sender)))


def _spawn(state: ClusterState, frame: Frame) -> None:
    _, requester, ref, function, args, name, link, monitor = frame
    fn = state.options.functions.get(function)
    try:
        if fn is None:
            raise UnknownFunctionError(f"no process function {function!r} on node {state.name}")
        pid = state.node.spawn(fn, *args, name=name)  # pyright: ignore[reportArgumentType]
    except Exception as exc:  # the requester's call fails with it
        state.queue(requester.node, [f.SPAWNED, requester, ref, None, exc], "a spawn answer")
        return
    child = lookup(state.node, pid)
    assert child is not None  # spawned now; its task has not run yet
    if link:
        state.router.note_link(child, requester)
    if monitor:
        state.router.note_watched(child, requester)
    state.queue(requester.node, [f.SPAWNED, requester, ref, pid, None], "a spawn answer")


def _answered(state: ClusterState, frame: Frame) -> None:
    _, _requester, ref, value, error = frame
    pending = state.pending.pop(ref, None)
    if pending is not None:
        pending.done(value, error)


def _down(state: ClusterState, frame: Frame) -> None:
    _, node, creation, why = frame
    node_down(state, node, creation, why)


def _up(state: ClusterState, frame: Frame) -> None:
    _, node, creation = frame
    node_up(state, node, creation)


def _event(state: ClusterState, frame: Frame) -> None:
    _, system, kind, path, data = frame
    forwarding.arrived(state, system, kind, path, data)


def _terminate(state: ClusterState, frame: Frame) -> None:
    _, asker, ref, target, reason, grace = frame
    state.nursery.start_soon(_stop, state, asker, ref, lookup(state.node, target), reason, grace)


async def _stop(
    state: ClusterState,
    asker: str,
    ref: int,
    proc: ProcessRef | None,
    reason: str,
    grace: float | None,
) -> None:
    """Terminate's work on the target's node, then its answer (True: it stopped it)."""
    if proc is not None and proc.alive:
        if grace:
            proc.post(Cancel(reason, None))
            with trio.move_on_after(grace):
                await proc.wait_exit()
        proc.signal_exit(TerminatedError(reason))
        await proc.wait_exit()
    answer = proc is not None
    state.queue(asker, [f.SPAWNED, None, ref, answer, None], "a stop answer")


def _with(state: ClusterState, pid: PID, act: Callable[[ProcessRef], None]) -> None:
    proc = lookup(state.node, pid)
    if proc is not None:
        act(proc)


_HANDLERS: dict[int, Callable[[ClusterState, Frame], None]] = {
    f.REPLY: _reply,
    f.MON: _monitor,
    f.DEMON: _demonitor,
    f.LINK: _link,
    f.UNLINK: _unlink,
    f.EXIT: _exit,
    f.LDOWN: _link_down,
    f.CANCEL: _cancel,
    f.SPAWN: _spawn,
    f.SPAWNED: _answered,
    f.DOWN: _down,
    f.UP: _up,
    f.EVENT: _event,
    f.TERMINATE: _terminate,
}
