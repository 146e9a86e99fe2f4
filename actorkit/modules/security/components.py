"""The boot factory: ``security.module(...)``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from actorkit.checks import duration, text
from actorkit.lowlevel import Boot, Component, add_spawn_hook, remove_spawn_hook

from . import mappings
from .dispatcher import TABLE
from .identity import inherit
from .keys import JwtKey
from .policy import Scope
from .state import SETTINGS, Settings


def module(
    *,
    token_store: str = "tokens",
    keys: Mapping[str, JwtKey] | None = None,
    scopes: Iterable[Scope] = (),
    ttl: float = 3600.0,
    clock: Callable[[], float] = time.time,
    issuer: str = "actorkit",
) -> Component:
    """The security module: scopes inherited by children, token commands 130–132.

    Args:
        token_store: the store for token records (boot it too: ``store.memory("tokens")``).
        keys: JWT keys by id, for ``CreateToken(key=...)`` and validation.
        scopes: the scopes tokens may name (by :attr:`Scope.name`).
        ttl: default token lifetime, seconds.
        clock: wall-clock seconds for token times (``time.time``).
        issuer: the ``iss`` of JWTs made and accepted here.
    """
    text(non_empty=True).option("security.module", "token_store", token_store)
    text(non_empty=True).option("security.module", "issuer", issuer)
    duration(finite=True, positive=True).option("security.module", "ttl", ttl)
    cfg = Settings(token_store, dict(keys or {}), {s.name: s for s in scopes}, ttl, clock, issuer)

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        mappings.install()
        SETTINGS.set(boot.node, cfg)
        add_spawn_hook(boot.node, inherit)

    async def stop(boot: Boot) -> None:
        remove_spawn_hook(boot.node, inherit)
        SETTINGS.reset(boot.node)

    return Component("security", load=load, start=start, stop=stop)
