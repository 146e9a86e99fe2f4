"""The security module's per-node settings (:data:`SETTINGS`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import attrs

from actorkit.lowlevel import NodeVar

from .errors import SecurityError
from .keys import JwtKey
from .policy import Scope

if TYPE_CHECKING:
    from actorkit import Node


@attrs.frozen
class Settings:
    """What ``security.module(...)`` was booted with.

    Attributes:
        store: the store holding token records (``store.memory("tokens")`` …).
        keys: JWT keys by id (the ``kid`` header).
        scopes: scopes by name, for tokens (a token carries scope names).
        ttl: default token lifetime in seconds.
        clock: wall-clock seconds for token expiry.
        issuer: the ``iss`` claim of JWTs made here (and required of those validated).
    """

    store: str
    keys: Mapping[str, JwtKey]
    scopes: Mapping[str, Scope]
    ttl: float
    clock: Callable[[], float]
    issuer: str


SETTINGS = NodeVar[Settings]("security.settings")


def settings(node: Node) -> Settings:
    """The node's settings; SecurityError if the module is not booted."""
    found = SETTINGS.find(node)
    if found is None:
        raise SecurityError("the security module is not booted on this node")
    return found
