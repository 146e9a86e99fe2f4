"""The Redis store under connection kills: nothing lost, nothing reported that did not happen.

Processes run compare-and-set loops (and ``only_if_absent`` claims) on one Redis key while
a background task kills the store's client connections every ``KILL_EVERY`` seconds
(``CLIENT KILL ID``, only this store's connections, so other tests on the server are left
alone). Each write carries a unique token and remembers the token of the value it read,
so the final value's chain of tokens tells exactly which writes were applied: every write
reported done must be in it, every write reported as a conflict or a failure must not, and
a write whose outcome was unknown may be either. Real time: a second or so in all.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import attrs
import coredis
import pytest
import trio

import actorkit
from actorkit.modules import store
from actorkit.modules.store import Entry, Put, Set
from actorkit.testing import open_test_node, require_service

KILL_EVERY = 0.02  # seconds between kills of the store's connections
DURATION = 1.0  # seconds the writers run under kills
WORKERS = 4
KEY = "counter"
START = "start"  # the token of the value written before the kills begin


def redis_url() -> str:
    """The test Redis server, or skip."""
    return require_service("Redis", "ACTORKIT_REDIS_URL", "redis://127.0.0.1:6379/0")


@attrs.frozen
class Attempt:
    """One conditional write and what the store said about it."""

    token: str
    base: str  # the token of the value it read
    outcome: str  # "done", "conflict", "unknown" or "failed"


@pytest.fixture
async def prefix() -> AsyncIterator[str]:
    """A fresh key prefix, emptied after the test."""
    url = redis_url()
    where = f"actorkit-fault:{uuid.uuid4().hex}:"
    yield where
    client: coredis.Redis[bytes] = coredis.Redis.from_url(url)
    async with client:
        keys = [key async for key in client.scan_iter(match=where + "*")]
        if keys:
            await client.delete(keys)


async def kill_connections(name: str, stop: trio.Event, kills: list[int]) -> None:
    """Kill every connection of store ``name`` every KILL_EVERY seconds until ``stop``."""
    client: coredis.Redis[bytes] = coredis.Redis.from_url(redis_url())
    async with client:
        while not stop.is_set():
            listed = await client.client_list()
            for info in listed:
                if info.get("name") == f"actorkit-store-{name}":
                    kills.append(await client.client_kill(identifier=int(info["id"])))
            with trio.move_on_after(KILL_EVERY):
                await stop.wait()


async def write(proc: actorkit.Process, put: Put) -> str:
    """Run ``put``; how it went."""
    try:
        version = await proc.call(put, timeout=10)
    except store.OutcomeUnknownError:
        return "unknown"
    except store.StoreBackendError:  # the write was never sent
        return "failed"
    return "conflict" if version is None else "done"


async def read(proc: actorkit.Process, name: str, key: str) -> store.Item | None:
    """The entry, asking again while the connection is down (reads may be repeated)."""
    while True:
        try:
            return await proc.call(Entry(name, key), timeout=10)
        except store.StoreBackendError:
            await trio.sleep(KILL_EVERY / 4)


async def increments(
    proc: actorkit.Process, name: str, deadline: float, attempts: list[Attempt]
) -> None:
    """Add one to the counter with compare-and-set until ``deadline``."""
    while trio.current_time() < deadline:
        item = await read(proc, name, KEY)
        assert item is not None
        token = uuid.uuid4().hex
        value = {"n": item.value["n"] + 1, "token": token}
        outcome = await write(proc, Put(name, KEY, value, if_version=item.version))
        attempts.append(Attempt(token, item.value["token"], outcome))


def applied_chain(final: dict[str, Any], attempts: list[Attempt]) -> list[Attempt]:
    """The writes that made the final value, newest first (each read the one before)."""
    by_token = {attempt.token: attempt for attempt in attempts}
    chain: list[Attempt] = []
    token = final["token"]
    while token != START:
        attempt = by_token[token]  # a KeyError: a value nobody wrote
        chain.append(attempt)
        token = attempt.base
    return chain


async def test_faults_store_redis_cas_counts_exactly_under_client_kill(prefix: str) -> None:
    name = f"cas{uuid.uuid4().hex[:8]}"
    attempts: list[Attempt] = []
    kills: list[int] = []
    comp = store.redis(name, redis_url(), prefix=prefix)
    async with open_test_node(modules=[comp]) as node:
        await node.exec(_set_start, name)
        stop = trio.Event()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(kill_connections, name, stop, kills)
            deadline = trio.current_time() + DURATION
            async with trio.open_nursery() as workers:
                for _ in range(WORKERS):
                    workers.start_soon(node.exec, increments, name, deadline, attempts)
            stop.set()
        final = (await node.exec(read, name, KEY)).value
    chain = applied_chain(final, attempts)
    outcomes = [attempt.outcome for attempt in chain]
    done = [attempt for attempt in attempts if attempt.outcome == "done"]
    assert len(chain) == final["n"]
    assert set(outcomes) <= {"done", "unknown"}  # no conflict or failure was applied
    assert set(done) <= set(chain)  # every write reported done was applied
    assert final["n"] == len(done) + outcomes.count("unknown")
    assert sum(kills) > 0


async def _set_start(proc: actorkit.Process, name: str) -> None:
    await proc.call(Set(name, KEY, {"n": 0, "token": START}))


async def claims_until(
    proc: actorkit.Process, name: str, deadline: float, claims: list[tuple[str, str, str]]
) -> None:
    """Claim ``lock:0``, ``lock:1``, … in turn with ``only_if_absent`` until ``deadline``;
    every claimer walks the same keys, so they race for each. Records (key, token, outcome).
    """
    n = 0
    while trio.current_time() < deadline:
        key, token = f"lock:{n}", uuid.uuid4().hex
        outcome = await write(proc, Put(name, key, token, only_if_absent=True))
        claims.append((key, token, outcome))
        n += 1


async def test_faults_store_redis_claims_have_one_owner_under_client_kill(prefix: str) -> None:
    name = f"claim{uuid.uuid4().hex[:8]}"
    claims: list[tuple[str, str, str]] = []
    kills: list[int] = []
    comp = store.redis(name, redis_url(), prefix=prefix)
    async with open_test_node(modules=[comp]) as node:
        stop = trio.Event()
        async with trio.open_nursery() as nursery:
            nursery.start_soon(kill_connections, name, stop, kills)
            deadline = trio.current_time() + DURATION
            async with trio.open_nursery() as claimers:
                for _ in range(WORKERS):
                    claimers.start_soon(node.exec, claims_until, name, deadline, claims)
            stop.set()
        keys = sorted({key for key, _, _ in claims})
        owners = {key: await node.exec(_owner, name, key) for key in keys}
    for key in keys:
        told = {token: outcome for k, token, outcome in claims if k == key}
        winners = [token for token, outcome in told.items() if outcome == "done"]
        assert len(winners) <= 1, f"{key}: two claimers were told they own it"
        owner = owners[key]
        if winners:
            assert owner == winners[0]
        elif owner is not None:
            assert told[owner] == "unknown", f"{key}: owned by a claimer told {told[owner]}"
    assert sum(kills) > 0


async def _owner(proc: actorkit.Process, name: str, key: str) -> str | None:
    item = await read(proc, name, key)
    return None if item is None else str(item.value)
