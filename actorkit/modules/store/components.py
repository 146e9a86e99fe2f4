"""Boot components that declare named stores: ``memory``, ``sqlite`` and ``redis``.

Each store is a component named ``store.<name>``. The first one loaded registers the store
handlers (``TABLE``: one set serves every store). Start makes a fresh backend, opens it,
starts its periodic sweep of expired keys in ``boot.services`` and puts it in the node's
stores (:data:`.state.STORES`) under its name; stop takes it out, ends the sweep and closes
it. A component can boot any number of nodes, one after another or at once.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

import trio

from actorkit.checks import Check, duration, integer, text
from actorkit.errors import MissingExtraError
from actorkit.lowlevel import Boot, Component

from .backends.base import Backend
from .backends.memory import MemoryBackend
from .backends.sqlite import SqliteBackend, Synchronous
from .dispatcher import TABLE
from .state import stores

CLEANUP_INTERVAL = 300.0
"""Seconds between sweeps of expired keys (Wippy's default: 5 minutes)."""


def memory(
    name: str,
    *,
    max_size: int = 10_000,
    cleanup_interval: float = CLEANUP_INTERVAL,
    clock: Callable[[], float] | None = None,
) -> Component:
    """A store in the node's memory: fast (its calls complete inline), lost at exit.

    Args:
        name: what commands call the store.
        max_size: most live keys; a write adding one more fails with ``StoreFullError``.
        cleanup_interval: seconds between sweeps of expired keys (they also vanish on read).
        clock: the time in seconds for TTLs; default ``trio.current_time`` (so the autojump
            clock in tests).
    """
    _check("store.memory", name, cleanup_interval)
    integer(minimum=1).option(f"store.memory({name!r})", "max_size", max_size)

    def make() -> Backend:
        return MemoryBackend(name, max_size=max_size, clock=clock or trio.current_time)

    return _component(name, make, cleanup_interval)


def sqlite(
    name: str,
    path: str,
    *,
    table: str = "actorkit_store",
    synchronous: Synchronous = "NORMAL",
    cleanup_interval: float = CLEANUP_INTERVAL,
    clock: Callable[[], float] | None = None,
) -> Component:
    """A durable store in a SQLite file, served by one thread of its own.

    Args:
        name: what commands call the store.
        path: the database file (``":memory:"`` for a private, non-durable one).
        table: the table (a plain identifier); one file can hold several stores.
        synchronous: SQLite's ``PRAGMA synchronous``; in WAL mode ``"NORMAL"`` survives a
            crash of the program, ``"FULL"`` also a power loss.
        cleanup_interval: seconds between deletions of expired rows.
        clock: wall-clock seconds for TTLs; default ``time.time`` (TTLs survive restarts).
    """
    _check("store.sqlite", name, cleanup_interval)
    _PATH.option(f"store.sqlite({name!r})", "path", path)
    _SYNCHRONOUS.option(f"store.sqlite({name!r})", "synchronous", synchronous)
    SqliteBackend.check_table(name, table)

    def make() -> Backend:
        now = clock or time.time
        return SqliteBackend(name, path, table=table, synchronous=synchronous, clock=now)

    return _component(name, make, cleanup_interval)


def redis(
    name: str, url: str = "redis://127.0.0.1:6379/0", *, prefix: str | None = None
) -> Component:
    """A shared store in Redis, through :mod:`actorkit.redis` (hiredis: the ``redis`` extra).

    Args:
        name: what commands call the store.
        url: the server, ``redis://[user:password@]host:port/db``.
        prefix: where the store's keys live in Redis; default ``actorkit:store:<name>:``.

    Raises:
        MissingExtraError: hiredis is not installed.
    """
    _check("store.redis", name, CLEANUP_INTERVAL)
    _PATH.option(f"store.redis({name!r})", "url", url)
    text(optional=True).option(f"store.redis({name!r})", "prefix", prefix)
    try:
        from .backends.redis import RedisBackend  # noqa: PLC0415 (hiredis only when used)
    except ImportError as exc:
        raise MissingExtraError("the Redis store", "redis") from exc
    where = f"actorkit:store:{name}:" if prefix is None else prefix

    def make() -> Backend:
        return RedisBackend(name, url, prefix=where)

    return _component(name, make, None)


_NAME = text(non_empty=True)
_PATH = text(non_empty=True)
_INTERVAL = duration(finite=True, positive=True)
_SYNCHRONOUS = Check(
    lambda v: v in ("OFF", "NORMAL", "FULL", "EXTRA"), "one of OFF, NORMAL, FULL, EXTRA"
)


def _check(factory: str, name: object, interval: object) -> None:
    """The options every store has; a wrong one is a ValueError naming the factory."""
    _NAME.option(factory, "name", name)
    _INTERVAL.option(f"{factory}({name!r})", "cleanup_interval", interval)


def _component(name: str, make: Callable[[], Backend], interval: float | None) -> Component:
    running: dict[int, tuple[Backend, trio.CancelScope]] = {}

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        backend = make()
        await backend.open(boot.services)
        scope = trio.CancelScope()
        if interval is not None:
            await boot.services.start(_sweeping, backend.sweep, interval, scope)
        running[id(boot.node)] = (backend, scope)
        stores(boot.node)[name] = backend

    async def stop(boot: Boot) -> None:
        stores(boot.node).pop(name, None)
        backend, scope = running.pop(id(boot.node))
        scope.cancel()
        await backend.close()

    return Component(f"store.{name}", load=load, start=start, stop=stop)


async def _sweeping(
    sweep: Callable[[], Awaitable[None]],
    interval: float,
    scope: trio.CancelScope,
    *,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    with scope:
        task_status.started()
        while True:
            await trio.sleep(interval)
            await sweep()
