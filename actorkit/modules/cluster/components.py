"""The cluster's boot component: join at start, leave at stop."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import trio

from actorkit.checks import duration, text
from actorkit.lowlevel import (
    Boot,
    Component,
    add_exit_hook,
    is_process_function,
    remove_exit_hook,
    set_remote,
)
from actorkit.modules import event
from actorkit.redis import Redis

from . import forwarding
from .directory import Directory
from .dispatcher import TABLE
from .durable import Durable
from .membership import heartbeat, join, leave, sweep
from .router import Router
from .scripts import JOIN
from .state import STATE, ClusterState, Options, ProcessFunction
from .transport import push, push_once, receive
from .virtual import PLACEMENTS, Activations

if TYPE_CHECKING:
    from actorkit import Node, Process

DEFAULT_URL = "redis://127.0.0.1:6379/0"
_NAME = text(non_empty=True)
_BOUND = duration(finite=True, positive=True)


def module(
    url: str | None = None,
    *,
    cluster: str = "actorkit",
    down_after: float = 3.0,
    functions: Mapping[str, ProcessFunction] | None = None,
    virtual: Mapping[str, Callable[[Process, str], Awaitable[object]] | Durable] | None = None,
    placement: str = "random",
    idle_after: float = 300.0,
    forward_events: Sequence[str] = (),
) -> Component:
    """Join the node to ``cluster`` through the Redis at ``url`` (default: the
    ``ACTORKIT_REDIS_URL`` environment variable, else the local Redis).

    ``down_after`` bounds how long a node that stopped heartbeating stays a member;
    ``functions`` are the process functions other nodes may spawn here by name;
    ``virtual`` maps each virtual actor kind to its ``fn(process, key)`` (or to
    ``cluster.durable(workflow)`` for a kind whose activations are workflows); ``placement`` is
    ``random``, ``local`` or ``hash``; an activation idle for ``idle_after`` seconds is
    deactivated; bus events of the systems in ``forward_events`` are published on every
    node's bus (the event module must be booted). Every node of a cluster should boot the
    same functions and kinds.
    """
    options = Options(
        url or os.environ.get("ACTORKIT_REDIS_URL") or DEFAULT_URL,
        cluster,
        down_after,
        dict(functions or {}),
        dict(virtual or {}),
        placement,
        idle_after,
        tuple(forward_events),
    )
    _check(options)

    async def start(boot: Boot) -> None:
        await boot.services.start(_serve, boot.node, options)

    depends = ("event",) if options.forward_events else ()
    return Component("cluster", depends_on=depends, load=_load, start=start, stop=_stop)


def _load(boot: Boot) -> None:
    boot.register_table(TABLE)


async def _stop(boot: Boot) -> None:
    """Leave: the service pushes what is queued, leaves the cluster, and is done."""
    state = STATE.find(boot.node)
    if state is not None:
        state.nursery.cancel_scope.cancel()
        await state.closed.wait()


def _check(options: Options) -> None:
    _NAME.option("cluster.module", "cluster", options.cluster)
    _BOUND.option("cluster.module", "down_after", options.down_after)
    _BOUND.option("cluster.module", "idle_after", options.idle_after)
    if options.placement not in PLACEMENTS:
        raise ValueError(
            f"cluster.module: placement must be one of {PLACEMENTS}: {options.placement!r}"
        )
    plain = {k: v for k, v in options.virtual.items() if not isinstance(v, Durable)}
    for what, table in (("functions", options.functions), ("virtual", plain)):
        for name, fn in table.items():
            if not is_process_function(fn):
                raise TypeError(f"cluster.module: {what}[{name!r}] is not an async function")


async def _serve(
    node: Node, options: Options, *, task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED
) -> None:
    async with Redis.open(options.url, name=f"actorkit-{options.cluster}-{node.name}") as redis:
        creation, members = await join(redis.script(JOIN), options, node.name)
        node.creation = creation  # the PIDs it makes from now on carry this life
        state = ClusterState(node, options, redis, creation, members)
        _wire(state)
        tap = forwarding.start(state)
        try:
            async with trio.open_nursery() as nursery:
                state.nursery = nursery
                for task in (heartbeat, sweep, push, receive):
                    nursery.start_soon(task, state)
                nursery.start_soon(state.activations.deactivate_idle)
                task_status.started()
        finally:
            if tap is not None:
                event.remove_tap(node, tap)
            _unwire(state)
            with trio.CancelScope(shield=True), trio.move_on_after(options.down_after):
                await push_once(state, state.outbox.take_now())
                await leave(state)
            state.closed.set()


def _wire(state: ClusterState) -> None:
    node = state.node
    state.router = Router(state)
    state.activations = Activations(state)
    state.directory = Directory(state)
    STATE.set(node, state)
    set_remote(node, state.router)
    for hook in (state.router.on_exit, state.activations.on_exit, state.directory.on_exit):
        add_exit_hook(node, hook)


def _unwire(state: ClusterState) -> None:
    node = state.node
    set_remote(node, None)
    for hook in (state.router.on_exit, state.activations.on_exit, state.directory.on_exit):
        remove_exit_hook(node, hook)
    STATE.reset(node)
