"""Who a process is and what it may do: its :class:`Identity`, kept on the process.

An identity is an actor plus layers of scopes. Each layer is one scope (a token's scopes
joined into one); a command is allowed only when every layer allows it, so a new layer can
only narrow. :func:`set_scope` adds a layer (the first call also sets the actor); spawned
children inherit their parent's identity (a spawn hook the module adds at boot), and
``confined(fn, scope)`` narrows a child before it runs.

The check is a per-process command seam: a process with no identity pays nothing more than
the kernel's attribute check, a confined one a dictionary lookup per command once a
decision is cached.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar, TypeVarTuple

import attrs

import actorkit
from actorkit import lowlevel
from actorkit.checks import label

from .access import access_of
from .errors import PermissionDenied, SecurityError
from .policy import Access, Actor, Scope
from .state import SETTINGS

_CACHE_MAX = 1024


@attrs.frozen
class Identity:
    """An actor and the scope layers it runs under (all must allow a command)."""

    actor: Actor
    layers: tuple[Scope, ...]
    _cache: dict[tuple[str, str], bool] = attrs.field(
        factory=dict[tuple[str, str], bool], init=False, repr=False, eq=False, hash=False
    )
    _static: bool = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_static", all(s.static for s in self.layers))

    def allows(self, access: Access) -> bool:
        """True when every layer allows ``access``."""
        if not self._static:
            return self._decide(access)
        key = (access.action, access.resource)
        found = self._cache.get(key)
        if found is None:
            if len(self._cache) >= _CACHE_MAX:
                self._cache.clear()
            found = self._cache[key] = self._decide(access)
        return found

    def _decide(self, access: Access) -> bool:
        return all(scope.allows(self.actor, access) for scope in self.layers)

    def narrowed(self, scope: Scope) -> Identity:
        """This identity with one more layer: never allows more than before."""
        return Identity(self.actor, (*self.layers, scope))


IDENTITY = lowlevel.ProcessVar[Identity]("security.identity")


def enforce(
    ctx: lowlevel.HandlerContext,
    cmd: object,
    tag: int,
    rcv: lowlevel.Receiver,
    next_: lowlevel.Handler,
) -> None:
    """The seam: refuse ``cmd`` with :class:`PermissionDenied` unless the identity allows it."""
    ident = IDENTITY.find(ctx.caller)
    if ident is not None:
        access = access_of(ctx, cmd)
        if not ident.allows(access):
            raise PermissionDenied(access.action, access.resource, label(type(cmd)))
    next_(ctx, cmd, tag, rcv)


def inherit(parent: lowlevel.ProcessRef | None, child: lowlevel.ProcessRef) -> None:
    """The spawn hook: a child runs under its parent's identity."""
    ident = None if parent is None else IDENTITY.find(parent)
    if ident is not None:
        _confine(child, ident)


def _confine(ref: lowlevel.ProcessRef, ident: Identity) -> None:
    had = IDENTITY.find(ref) is not None
    IDENTITY.set(ref, ident)
    if not had:
        lowlevel.add_seam(ref, enforce)


def identity(proc: actorkit.Process) -> Identity | None:
    """The identity ``proc`` runs under, or None if it is not confined."""
    return IDENTITY.find(lowlevel.ref_of(proc))


def set_scope(proc: actorkit.Process, scope: Scope, *, actor: Actor | None = None) -> Identity:
    """Confine ``proc`` to ``scope``: its commands are checked from now on.

    The first call sets the actor (default: the PID as id); later calls add ``scope`` as
    one more layer, so a process can narrow what it may do but never widen it. Not a
    checkpoint.

    Raises:
        SecurityError: the security module is not booted on the node (its children would
            not inherit the scope).
        PermissionDenied: ``actor`` differs from the actor already set.
    """
    if SETTINGS.find(proc.node) is None:
        raise SecurityError("set_scope: the security module is not booted on this node")
    ref = lowlevel.ref_of(proc)
    current = IDENTITY.find(ref)
    if current is None:
        ident = Identity(actor or Actor(str(proc.pid)), (scope,))
    elif actor is not None and actor != current.actor:
        raise PermissionDenied("security.set_actor", actor.id)
    else:
        ident = current.narrowed(scope)
    _confine(ref, ident)
    return ident


def adopt(proc: actorkit.Process, ident: Identity) -> None:
    """Run ``proc`` under ``ident`` (from :func:`~.gateway.identity_for_token`), narrowing."""
    for scope in ident.layers:
        set_scope(proc, scope, actor=ident.actor)


Ts = TypeVarTuple("Ts")
R = TypeVar("R")


def confined(
    fn: Callable[[actorkit.Process, *Ts], Awaitable[R]],
    scope: Scope,
    *,
    actor: Actor | None = None,
) -> Callable[[actorkit.Process, *Ts], Awaitable[R]]:
    """``fn`` as a process function that first narrows itself to ``scope``: the spawn
    option that narrows a child.

    ``await proc.spawn(security.confined(worker, scope), arg)``: the child runs under its
    parent's identity and ``scope`` both (under ``scope`` alone, as ``actor`` or its own
    PID, when the parent is not confined). The scope is in place before ``fn`` runs, so
    the child's first command is already checked. ``actor`` must match a confined
    parent's actor (a child cannot change who it acts as); the child then exits with
    ``PermissionDenied``, as it does with ``SecurityError`` on a node without the
    security module.
    """

    async def run(proc: actorkit.Process, *args: *Ts) -> R:
        set_scope(proc, scope, actor=actor)
        return await fn(proc, *args)

    run.__name__ = run.__qualname__ = getattr(fn, "__qualname__", "confined")
    run.__module__ = getattr(fn, "__module__", __name__)
    return run


@asynccontextmanager
async def run_as(
    node: actorkit.Node, actor: Actor, *scopes: Scope
) -> AsyncGenerator[actorkit.Process]:
    """Borrow a process (``node.process()``) running as ``actor`` under ``scopes``.

    Each scope is a layer: a command must be allowed by all of them. The borrowed process
    exits when the block ends.
    """
    async with node.process() as proc:
        for scope in scopes or (Scope("nothing", ()),):
            set_scope(proc, scope, actor=actor)
        yield proc
