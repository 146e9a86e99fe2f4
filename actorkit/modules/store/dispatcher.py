"""Store handlers: find the command's store, run the backend, decode the result.

Commands check their fields when they are built (:mod:`.checks`), so handlers do not.
Handlers are raw: a backend that answers at once (memory) completes the call inline; an
awaitable answer (SQLite, Redis) becomes the call's work, under the caller's cancel scope.
Every StoreError leaving a handler names the command and its ID.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

from actorkit.lowlevel import HandlerContext, HandlerTable, Receiver

from . import codec
from .backends.base import Maybe, RawItem
from .commands import Delete, Entry, Get, Has, Info, Item, List, Put, Set
from .errors import StoreBackendError, StoreError
from .state import store_of

T = TypeVar("T")
C = TypeVar("C")
Finish = Callable[[T], object]
Raw = Callable[[HandlerContext, C, int, Receiver], None]


def handle_get(ctx: HandlerContext, cmd: Get, tag: int, rcv: Receiver) -> None:
    """The decoded value, or None."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.get(cmd.key), codec.decode)


def handle_set(ctx: HandlerContext, cmd: Set, tag: int, rcv: Receiver) -> None:
    """Write unconditionally; the new version."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.put(cmd.key, cmd.encoded, cmd.ttl, False, None), _same)


def handle_delete(ctx: HandlerContext, cmd: Delete, tag: int, rcv: Receiver) -> None:
    """Remove a key; True if it was there."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.delete(cmd.key), _same)


def handle_has(ctx: HandlerContext, cmd: Has, tag: int, rcv: Receiver) -> None:
    """True if the key is live."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.has(cmd.key), _same)


def handle_entry(ctx: HandlerContext, cmd: Entry, tag: int, rcv: Receiver) -> None:
    """The value with its version and TTL, or None."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.entry(cmd.key), _item)


def handle_list(ctx: HandlerContext, cmd: List, tag: int, rcv: Receiver) -> None:
    """Sorted live keys under a prefix, after a key, up to a limit."""
    backend = store_of(ctx.node, cmd)
    _reply(ctx, cmd, tag, rcv, backend.list(cmd.prefix, cmd.after, cmd.limit), _same)


def handle_put(ctx: HandlerContext, cmd: Put, tag: int, rcv: Receiver) -> None:
    """Write if the condition holds; the new version or None."""
    backend = store_of(ctx.node, cmd)
    pending = backend.put(cmd.key, cmd.encoded, cmd.ttl, cmd.only_if_absent, cmd.if_version)
    _reply(ctx, cmd, tag, rcv, pending, _same)


def handle_info(ctx: HandlerContext, cmd: Info, tag: int, rcv: Receiver) -> None:
    """The store's guarantees."""
    rcv.complete_yield(tag, store_of(ctx.node, cmd).info(), None)


def _reply(
    ctx: HandlerContext, cmd: Any, tag: int, rcv: Receiver, result: Maybe[T], finish: Finish[T]
) -> None:
    if isinstance(result, Awaitable):
        pending = cast("Awaitable[T]", result)
        ctx.start_soon(tag, _later, cmd, pending, finish, tag, rcv)
    else:
        rcv.complete_yield(tag, finish(result), None)


async def _later(
    cmd: Any, pending: Awaitable[T], finish: Finish[T], tag: int, rcv: Receiver
) -> None:
    try:
        result = finish(await pending)
    except StoreError as exc:
        exc.command = exc.command or _name(cmd)
        raise
    except Exception as exc:
        kind = f"{type(exc).__module__}.{type(exc).__qualname__}"
        detail = f"store {cmd.store!r} failed: {kind}: {exc}"
        raise StoreBackendError(detail, command=_name(cmd)) from exc
    rcv.complete_yield(tag, result, None)


def _named(handler: Raw[C]) -> Raw[C]:
    """``handler``, with the command's name and ID put on any StoreError it raises."""

    def handle(ctx: HandlerContext, cmd: C, tag: int, rcv: Receiver) -> None:
        try:
            handler(ctx, cmd, tag, rcv)
        except StoreError as exc:
            exc.command = exc.command or _name(cmd)
            raise

    return handle


def _name(cmd: object) -> str:
    return f"{type(cmd).__name__} (id={getattr(type(cmd), 'ID', '?')})"


def _same(result: T) -> T:
    return result


def _item(raw: RawItem | None) -> Item | None:
    if raw is None:
        return None
    data, version, left = raw
    return Item(codec.decode(data), version, left)


TABLE: HandlerTable = {
    Get: _named(handle_get),
    Set: _named(handle_set),
    Delete: _named(handle_delete),
    Has: _named(handle_has),
    Entry: _named(handle_entry),
    List: _named(handle_list),
    Put: _named(handle_put),
    Info: _named(handle_info),
}
