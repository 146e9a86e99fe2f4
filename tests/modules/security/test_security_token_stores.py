"""Token records on every store backend: memory, and Redis shared by two nodes."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import coredis
import pytest

import actorkit
from actorkit.modules import security as sec
from actorkit.modules import store
from actorkit.modules.security import CreateToken, RevokeToken, TokenError, ValidateToken
from actorkit.testing import open_test_node, require_service

KEYS = {"hs": sec.hs256("an hmac secret long enough for HS256 ok")}


def redis_url() -> str:
    """The test Redis server, or skip."""
    return require_service("Redis", "ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A fresh Redis key prefix, emptied after the test."""
    where = f"actorkit-test:{uuid.uuid4().hex}:"
    yield where
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with client:
        keys = [key async for key in client.scan_iter(match=f"{where}*")]
        if keys:
            await client.delete(keys)


def _node_modules(token_store: actorkit.Component) -> list[actorkit.Component]:
    return [token_store, sec.module(keys=KEYS)]


async def _round_trip(token_store: actorkit.Component) -> None:
    async with open_test_node(modules=_node_modules(token_store)) as node, node.process() as p:
        for key in (None, "hs"):
            token = await p.call(CreateToken("ada", ("reader",), key=key))
            assert (await p.call(ValidateToken(token))).actor.id == "ada"
            assert await p.call(RevokeToken(token))
            with pytest.raises(TokenError, match="revoked"):
                await p.call(ValidateToken(token))


async def test_token_stores_memory_round_trip_and_revoke() -> None:
    await _round_trip(store.memory("tokens"))


async def test_token_stores_redis_round_trip_and_revoke(prefix: str) -> None:
    await _round_trip(store.redis("tokens", redis_url(), prefix=prefix))


async def test_token_stores_redis_shares_tokens_between_nodes(prefix: str) -> None:
    url = redis_url()
    a = _node_modules(store.redis("tokens", url, prefix=prefix))
    b = _node_modules(store.redis("tokens", url, prefix=prefix))
    async with (
        open_test_node(modules=a) as node_a,
        open_test_node(modules=b) as node_b,
        node_a.process() as on_a,
        node_b.process() as on_b,
    ):
        opaque = await on_a.call(CreateToken("ada", ("reader",)))
        signed = await on_a.call(CreateToken("bob", key="hs"))
        assert (await on_b.call(ValidateToken(opaque))).actor.id == "ada"
        assert (await on_b.call(ValidateToken(signed))).actor.id == "bob"
        assert await on_b.call(RevokeToken(opaque))
        assert await on_b.call(RevokeToken(signed))
        for token in (opaque, signed):
            with pytest.raises(TokenError, match="revoked"):
                await on_a.call(ValidateToken(token))
