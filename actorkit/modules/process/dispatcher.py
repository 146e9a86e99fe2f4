"""The process module's handler table (IDs 1–9). Send is the user API's own message delivery
(``lowlevel.handle_send``); the rest act on other processes through the door."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from actorkit import lowlevel
from actorkit.errors import NoProcessError, ProcessFailedError, TerminatedError

from .commands import Cancel, Exec, Link, Monitor, Send, Spawn, Terminate, Unlink, Unmonitor

if TYPE_CHECKING:
    from actorkit import PID
    from actorkit.lowlevel import HandlerContext, ProcessRef, Receiver


def handle_spawn(ctx: HandlerContext, cmd: Spawn, tag: int, receiver: Receiver) -> None:
    """Start the child with its link, monitor and name already in place."""
    child = lowlevel.spawn_child(
        ctx,
        cmd.fn,
        cmd.args,
        link=cmd.link,
        monitor=cmd.monitor,
        name=cmd.name,
        mailbox_size=cmd.mailbox_size,
        trap_links=cmd.trap_links,
    )
    receiver.complete_yield(tag, child.pid, None)


def handle_terminate(ctx: HandlerContext, cmd: Terminate, tag: int, receiver: Receiver) -> None:
    """Cancel (with a grace period) or kill, then complete once the target has exited."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        remote.terminate(
            pid, cmd.reason, cmd.grace, lambda v, e: receiver.complete_yield(tag, v, e)
        )
        return
    if isinstance(cmd.pid, str):
        target: ProcessRef | None = _require(ctx, cmd.pid, "cannot terminate")
    else:
        target = ctx.lookup(cmd.pid)
    if target is None:
        receiver.complete_yield(tag, False, None)
        return
    if not cmd.grace:
        target.signal_exit(TerminatedError(cmd.reason))
    else:
        target.post(lowlevel.Cancel(cmd.reason, ctx.pid))
    ctx.start_soon(tag, _terminate, target, cmd, tag, receiver)


async def _terminate(target: ProcessRef, cmd: Terminate, tag: int, receiver: Receiver) -> None:
    if cmd.grace:
        with trio.move_on_after(cmd.grace):
            await target.wait_exit()
        target.signal_exit(TerminatedError(cmd.reason))
    await target.wait_exit()
    receiver.complete_yield(tag, True, None)


def handle_cancel(ctx: HandlerContext, cmd: Cancel, tag: int, receiver: Receiver) -> None:
    """Queue a Cancel event on the target's priority lane."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        remote.cancel(ctx.pid, pid, cmd.reason)
        receiver.complete_yield(tag, None, None)
        return
    target = _require(ctx, cmd.pid, f"cannot cancel ({cmd.reason})")
    target.post(lowlevel.Cancel(cmd.reason, ctx.pid))
    receiver.complete_yield(tag, None, None)


def handle_monitor(ctx: HandlerContext, cmd: Monitor, tag: int, receiver: Receiver) -> None:
    """Watch the target; a gone PID gives an ``Exit`` with reason ``noproc`` at once."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        remote.monitor(ctx.caller, pid)
    elif isinstance(cmd.pid, str):
        target = _require(ctx, cmd.pid, "cannot monitor")
        lowlevel.monitor(ctx.caller, target, target.pid)
    else:
        lowlevel.monitor(ctx.caller, ctx.lookup(cmd.pid), cmd.pid)
    receiver.complete_yield(tag, None, None)


def handle_unmonitor(ctx: HandlerContext, cmd: Unmonitor, tag: int, receiver: Receiver) -> None:
    """Stop watching; True if a monitor was removed."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        removed = remote.unmonitor(ctx.caller, pid)
    else:
        removed = lowlevel.unmonitor(ctx.caller, ctx.lookup(cmd.pid))
    receiver.complete_yield(tag, removed, None)


def handle_link(ctx: HandlerContext, cmd: Link, tag: int, receiver: Receiver) -> None:
    """Link both ways; a gone target fails the call with ``NoProcessError`` (one on another
    node is checked there: a gone one answers with ``LinkDown``, reason ``noproc``)."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        remote.link(ctx.caller, pid)
    else:
        lowlevel.link(ctx.caller, _require(ctx, cmd.pid, "cannot link"))
    receiver.complete_yield(tag, None, None)


def handle_unlink(ctx: HandlerContext, cmd: Unlink, tag: int, receiver: Receiver) -> None:
    """Remove the link, if any."""
    routed = _remote(ctx, cmd.pid)
    if routed is not None:
        remote, pid = routed
        remote.unlink(ctx.caller, pid)
    target = ctx.lookup(cmd.pid)
    if target is not None:
        lowlevel.unlink(ctx.caller, target)
    receiver.complete_yield(tag, None, None)


def handle_exec(ctx: HandlerContext, cmd: Exec, tag: int, receiver: Receiver) -> None:
    """Spawn the child now; its exit completes the call."""
    child = lowlevel.spawn_child(ctx, cmd.fn, cmd.args)
    ctx.start_soon(tag, _exec, child, tag, receiver)


async def _exec(child: ProcessRef, tag: int, receiver: Receiver) -> None:
    try:
        await child.wait_exit()
    finally:
        child.signal_exit(TerminatedError("the exec call was cancelled"))
    error = child.exit_error
    if error is not None:
        raise ProcessFailedError(child.pid, error) from error
    receiver.complete_yield(tag, child.exit_result, None)


def _remote(ctx: HandlerContext, target: PID | str) -> tuple[lowlevel.Remote, PID] | None:
    """The router and the PID, when ``target`` is a process on another node."""
    if isinstance(target, str):
        return None
    remote = lowlevel.remote_for(ctx.node, target)
    return None if remote is None else (remote, target)


def _require(ctx: HandlerContext, target: PID | str, doing: str) -> ProcessRef:
    proc = ctx.lookup(target)
    if proc is None:
        raise NoProcessError(target, doing)
    return proc


TABLE: lowlevel.HandlerTable = {
    Send: lowlevel.handle_send,
    Spawn: handle_spawn,
    Terminate: handle_terminate,
    Cancel: handle_cancel,
    Monitor: handle_monitor,
    Unmonitor: handle_unmonitor,
    Link: handle_link,
    Unlink: handle_unlink,
    Exec: handle_exec,
}
