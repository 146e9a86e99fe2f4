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
