"""Shared pieces of the security tests."""

from __future__ import annotations

import actorkit
from actorkit.modules import function, security, store

READER = security.Scope(
    "reader",
    [security.allow("store.get", "cache"), security.allow("process.send", "log")],
)
WRITER = security.Scope("writer", [security.allow("store.*", "cache")])


async def add(a: int, b: int) -> int:
    return a + b


def modules(**options: object) -> list[actorkit.Component]:
    """A node with the security module, a cache store, a token store and a function."""
    return [
        store.memory("cache"),
        store.memory("tokens"),
        function.module({"add": add}),
        security.module(scopes=[READER, WRITER], **options),  # type: ignore[arg-type]
    ]
