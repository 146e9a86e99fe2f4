"""A test-only module that hands the calling process a stream through ``stream.attach``,
as the http, websocket and exec modules do from their handlers."""

from __future__ import annotations

from typing import Any

import attrs

from actorkit.lowlevel import Command, Component, HandlerContext, command, handlers
from actorkit.modules import stream


@command(id=5050)
class Hand(Command[stream.StreamHandle]):
    """Attach ``source`` as a stream owned by the caller."""

    source: Any
    name: str = attrs.field(default="", kw_only=True)
    size: int | None = attrs.field(default=None, kw_only=True)


def handle_hand(ctx: HandlerContext, cmd: Hand, tag: int, rcv: Any) -> None:
    """Attach at once (``attach`` is not a checkpoint)."""
    try:
        handle = stream.attach(ctx, cmd.source, name=cmd.name, size=cmd.size)
    except Exception as exc:
        rcv.complete_yield(tag, None, exc)
        return
    rcv.complete_yield(tag, handle, None)


def hand_module() -> Component:
    """The component registering :class:`Hand`."""
    return handlers("hand", {Hand: handle_hand})


@command(id=5051)
class Drain(Command[list[bytes]]):
    """Read the caller's stream to its end with ``stream.chunks``, as an upload would."""

    handle: stream.StreamHandle
    chunk_size: int = 4


@command(id=5052)
class Pour(Command[bool]):
    """Write to the caller's stream with ``stream.write_all``, then ``stream.close`` it."""

    handle: stream.StreamHandle
    data: bytes


async def handle_drain(ctx: HandlerContext, cmd: Drain) -> list[bytes]:
    """The chunks of the stream."""
    chunks = stream.chunks(ctx, cmd.handle, cmd.chunk_size, command="Drain (id=5051)")
    return [chunk async for chunk in chunks]


async def handle_pour(ctx: HandlerContext, cmd: Pour) -> bool:
    """Write, then close."""
    await stream.write_all(ctx, cmd.handle, cmd.data, command="Pour (id=5052)")
    return await stream.close(ctx, cmd.handle, command="Pour (id=5052)")


def consumer_module() -> Component:
    """The component registering :class:`Drain` and :class:`Pour`."""
    return handlers("consumer", {Drain: handle_drain, Pour: handle_pour})
