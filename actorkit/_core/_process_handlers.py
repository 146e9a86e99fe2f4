"""Handlers of the process commands (IDs 1–9); the node is their backend."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import trio

from ..errors import NoProcessError, ProcessFailedError, TerminatedError
from . import _lifecycle as lifecycle
from ._events import Cancel as CancelEvent
from ._events import Message
from ._handler import record_of
from ._process_commands import (
    Cancel,
    Exec,
    Link,
    Monitor,
    Send,
    Spawn,
    Terminate,
    Unlink,
    Unmonitor,
)

if TYPE_CHECKING:
    from ._handler import HandlerContext, Receiver
    from ._pid import PID
    from ._proc_state import ProcessState


def handle_send(ctx: HandlerContext, cmd: Send, tag: int, receiver: Receiver) -> None:
    """Deliver at once when there is room; otherwise wait for room (or fail if ``nowait``)."""
    node = record_of(ctx).node
    target = node.resolve(cmd.dest)
    msg = Message(cmd.topic, cmd.payload, record_of(ctx).pid)
    if target is not None and target.mailbox.put_nowait(msg):
        node.messages += 1
        receiver.complete_yield(tag, None, None)
    elif target is None or target.mailbox.closed:
        receiver.complete_yield(tag, None, node.dead_letter(cmd.dest, cmd.topic))
    elif cmd.nowait:
        receiver.complete_yield(tag, None, trio.WouldBlock(f"mailbox of {target.pid} is full"))
    else:
        ctx.start_soon(tag, _send_when_room, target, msg, tag, receiver)


def deliver_now(proc: ProcessState, dest: object, topic: str, payload: object) -> bool:
    """The built-in Send's fast path: True if the message went straight into the mailbox.

    Used by ``Process.send`` only while ``handle_send`` is the registered handler, so a
    replaced Send handler (a fake, another host) always sees every send.
    """
    node = proc.node
    target = node.resolve(dest)  # type: ignore[arg-type]
    if target is not None and target.mailbox.put_nowait(Message(topic, payload, proc.pid)):
        node.messages += 1
        return True
    return False


async def _send_when_room(target: ProcessState, msg: Message, tag: int, receiver: Receiver) -> None:
    if not await target.mailbox.put(msg):
        raise target.node.dead_letter(target.pid, msg.topic)
    target.node.messages += 1
    receiver.complete_yield(tag, None, None)


def handle_spawn(ctx: HandlerContext, cmd: Spawn, tag: int, receiver: Receiver) -> None:
    """Start the child with its link, monitor and name already in place."""
    child = record_of(ctx).node.spawn_child(
        cmd.fn,
        cmd.args,
        parent=record_of(ctx),
        link_parent=cmd.link,
        monitor_parent=cmd.monitor,
        name=cmd.name,
        mailbox_size=cmd.mailbox_size,
        trap_links=cmd.trap_links,
    )
    receiver.complete_yield(tag, child.pid, None)


def handle_terminate(ctx: HandlerContext, cmd: Terminate, tag: int, receiver: Receiver) -> None:
    """Cancel (with a grace period) or kill, then complete once the target has exited."""
    if isinstance(cmd.pid, str):
        target: ProcessState | None = _require(ctx, cmd.pid, "cannot terminate")
    else:
        target = record_of(ctx).node.resolve(cmd.pid)
    if target is None:
        receiver.complete_yield(tag, False, None)
        return
    if not cmd.grace:
        target.signal_exit(TerminatedError(cmd.reason))
    else:
        target.deliver_priority(CancelEvent(cmd.reason, record_of(ctx).pid))
    ctx.start_soon(tag, _terminate, target, cmd, tag, receiver)


async def _terminate(target: ProcessState, cmd: Terminate, tag: int, receiver: Receiver) -> None:
    if cmd.grace:
        with trio.move_on_after(cmd.grace):
            await target.wait_exit()
        target.signal_exit(TerminatedError(cmd.reason))
    await target.wait_exit()
    receiver.complete_yield(tag, True, None)


def handle_cancel(ctx: HandlerContext, cmd: Cancel, tag: int, receiver: Receiver) -> None:
    """Queue a Cancel event on the target's priority lane."""
    target = _require(ctx, cmd.pid, f"cannot cancel ({cmd.reason})")
    target.deliver_priority(CancelEvent(cmd.reason, record_of(ctx).pid))
    receiver.complete_yield(tag, None, None)


def handle_monitor(ctx: HandlerContext, cmd: Monitor, tag: int, receiver: Receiver) -> None:
    """Watch the target; a gone PID gives an ``Exit`` with reason ``noproc`` at once."""
    if isinstance(cmd.pid, str):
        target = _require(ctx, cmd.pid, "cannot monitor")
        lifecycle.monitor(record_of(ctx), target, target.pid)
    else:
        lifecycle.monitor(record_of(ctx), record_of(ctx).node.resolve(cmd.pid), cmd.pid)
    receiver.complete_yield(tag, None, None)


def handle_unmonitor(ctx: HandlerContext, cmd: Unmonitor, tag: int, receiver: Receiver) -> None:
    """Stop watching; True if a monitor was removed."""
    target = record_of(ctx).node.resolve(cmd.pid)
    receiver.complete_yield(tag, lifecycle.unmonitor(record_of(ctx), target), None)


def handle_link(ctx: HandlerContext, cmd: Link, tag: int, receiver: Receiver) -> None:
    """Link both ways; a gone target fails the call with ``NoProcessError``."""
    target = _require(ctx, cmd.pid, "cannot link")
    lifecycle.link(record_of(ctx), target)
    receiver.complete_yield(tag, None, None)


def handle_unlink(ctx: HandlerContext, cmd: Unlink, tag: int, receiver: Receiver) -> None:
    """Remove the link, if any."""
    target = record_of(ctx).node.resolve(cmd.pid)
    if target is not None:
        lifecycle.unlink(record_of(ctx), target)
    receiver.complete_yield(tag, None, None)


def handle_exec(ctx: HandlerContext, cmd: Exec, tag: int, receiver: Receiver) -> None:
    """Spawn the child now; its exit completes the call."""
    child = record_of(ctx).node.spawn_child(cmd.fn, cmd.args, parent=record_of(ctx))
    ctx.start_soon(tag, _exec, child, tag, receiver)


async def _exec(child: ProcessState, tag: int, receiver: Receiver) -> None:
    try:
        await child.wait_exit()
    finally:
        child.signal_exit(TerminatedError("the exec call was cancelled"))
    if child.exit_error is not None:
        raise ProcessFailedError(child.pid, child.exit_error) from child.exit_error
    receiver.complete_yield(tag, child.exit_result, None)


def _require(ctx: HandlerContext, target: PID | str, doing: str) -> ProcessState:
    proc = record_of(ctx).node.resolve(target)
    if proc is None:
        raise NoProcessError(target, doing)
    return proc


HANDLERS: dict[type, Callable[..., Any]] = {
    Send: handle_send,
    Spawn: handle_spawn,
    Terminate: handle_terminate,
    Cancel: handle_cancel,
    Monitor: handle_monitor,
    Unmonitor: handle_unmonitor,
    Link: handle_link,
    Unlink: handle_unlink,
    Exec: handle_exec,
}
