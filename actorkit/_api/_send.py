"""Message delivery: the Send command's handler and the fast path ``Process.send`` takes.

A PID of another node goes to the node's router (``actorkit/_core/_remote.py``), when the
cluster has installed one; the fast path never sees it (it finds no local process and falls
back here).

The process module's handler table lists :func:`handle_send`; while it is the registered
Send handler, ``Process.send`` skips the dispatch and puts the message straight into the
receiver's mailbox (or hands it to :func:`deliver_remote`), so a replaced Send handler (a
fake, another host) still sees every send.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from .._core._events import Message, Request
from .._core._pid import PID
from .._core._remote import remote_for
from ._context import record_of

if TYPE_CHECKING:
    from .._core._handler import Receiver
    from .._core._node import Runtime
    from .._core._proc_state import ProcessState
    from ._context import HandlerContext
    from ._process_commands import Send


def handle_send(ctx: HandlerContext, cmd: Send, tag: int, receiver: Receiver) -> None:
    """Deliver at once when there is room; otherwise wait for room (or fail if ``nowait``)."""
    node = record_of(ctx).node
    target = node.resolve(cmd.dest)
    sender = record_of(ctx).pid
    msg = (
        Request(cmd.topic, cmd.payload, sender, cmd.ref, cmd.deadline)
        if cmd.ref
        else Message(cmd.topic, cmd.payload, sender)
    )
    if target is None:
        delivered = _to_remote(node, cmd.dest, msg)
    elif delivered := target.mailbox.put_nowait(msg):
        node.messages += 1
    if delivered:
        receiver.complete_yield(tag, None, None)
    elif target is None or target.mailbox.closed:
        receiver.complete_yield(tag, None, node.dead_letter(cmd.dest, cmd.topic))
    elif cmd.nowait:
        receiver.complete_yield(tag, None, trio.WouldBlock(f"mailbox of {target.pid} is full"))
    else:
        ctx.start_soon(tag, _send_when_room, target, msg, tag, receiver)


def deliver_remote(proc: ProcessState, dest: object, topic: str, payload: object) -> bool:
    """The built-in Send's fast path for a ``dest`` no local process answers to: True if
    the router took the message (``dest`` is another node's PID and one is installed).

    ``Process.send`` takes the fast path (the mailbox's ``put_nowait``, else this) only
    while ``handle_send`` is the registered handler, so a replaced Send handler (a fake,
    another host) always sees every send.
    """
    return _to_remote(proc.node, dest, Message(topic, payload, proc.pid))  # type: ignore[arg-type]


def _to_remote(node: Runtime, dest: PID | str, msg: Message) -> bool:
    """Hand ``msg`` to the router if ``dest`` is another node's PID (raises what it raises)."""
    remote = remote_for(node, dest)
    if remote is None or type(dest) is not PID:
        return False
    remote.send(dest, msg)
    node.messages += 1
    return True


async def _send_when_room(target: ProcessState, msg: Message, tag: int, receiver: Receiver) -> None:
    if not await target.mailbox.put(msg):
        raise target.node.dead_letter(target.pid, msg.topic)
    target.node.messages += 1
    receiver.complete_yield(tag, None, None)
