"""A Lua script run by its SHA1 (EVALSHA), sent in full (EVAL) only when the server does
not know it yet."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

from ._protocol import Arg, Reply
from .errors import RedisReplyError

__all__ = ["Script"]


class _Executes(Protocol):
    async def execute(self, *args: Arg) -> Reply: ...


class Script:
    """A Lua script bound to a client (``Redis.script(source)``); call it to run it."""

    def __init__(self, client: _Executes, source: str) -> None:
        self.source = source
        self.sha = hashlib.sha1(source.encode(), usedforsecurity=False).hexdigest()
        self._client = client

    async def __call__(
        self,
        *,
        keys: Sequence[Arg] = (),
        args: Sequence[Arg] = (),
        on: _Executes | None = None,
    ) -> Reply:
        """Run the script with ``KEYS`` and ``ARGV``; its reply.

        EVALSHA first; on a NOSCRIPT error (a server that never saw the script, or was
        flushed) EVAL, which also loads it for next time. ``on`` runs it on another
        connection (a dedicated one). A checkpoint; cancellation as ``Redis.execute``.

        Raises:
            RedisReplyError: the script failed, or the server answered with an error.
            RedisConnectionError: as ``Redis.execute``.
        """
        client = on or self._client
        try:
            return await client.execute("EVALSHA", self.sha, len(keys), *keys, *args)
        except RedisReplyError as exc:
            if exc.code != "NOSCRIPT":
                raise
        return await client.execute("EVAL", self.source, len(keys), *keys, *args)

    def command(self, *, keys: Sequence[Arg] = (), args: Sequence[Arg] = ()) -> tuple[Arg, ...]:
        """The EVALSHA command for ``pipeline`` (load the script first with :meth:`load`:
        a pipeline gives a NOSCRIPT error back in place and does not fall back)."""
        return ("EVALSHA", self.sha, len(keys), *keys, *args)

    async def load(self, *, on: _Executes | None = None) -> None:
        """Make sure the server knows the script (SCRIPT LOAD). A checkpoint.

        Raises:
            RedisReplyError: the script does not compile.
            RedisConnectionError: as ``Redis.execute``.
        """
        await (on or self._client).execute("SCRIPT", "LOAD", self.source)
