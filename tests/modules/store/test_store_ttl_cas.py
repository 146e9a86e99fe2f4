"""The store contract, on every backend: expiry, compare-and-set under contention, and
calls cancelled in flight."""

from __future__ import annotations

import trio
import trio.testing

import actorkit
from actorkit.modules.store import Delete, Entry, Get, Has, List, Put, Set

from ._store_kv import Kv, kv_fixture  # pyright: ignore[reportUnusedImport]  # noqa: F401


def _ttl(kv: Kv) -> float:
    """Short on a real server (its expiry is real time), long on a manual clock."""
    return 0.2 if kv.real_time else 60.0


async def test_store_entry_tells_the_time_left(kv: Kv) -> None:
    ttl = 60.0
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1, ttl=ttl))
        item = await proc.call(Entry("kv", "k"))
    assert item is not None
    assert item.expires_in is not None
    assert ttl * 0.5 < item.expires_in <= ttl


async def test_store_expired_key_is_gone_for_every_command(kv: Kv) -> None:
    ttl = _ttl(kv)
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "short", 1, ttl=ttl))
        await proc.call(Set("kv", "long", 2))
        await kv.pass_time(ttl + 0.1)
        assert await proc.call(Get("kv", "short")) is None
        assert await proc.call(Has("kv", "short")) is False
        assert await proc.call(Entry("kv", "short")) is None
        assert await proc.call(List("kv")) == ["long"]
        assert await proc.call(Delete("kv", "short")) is False
        assert await proc.call(Put("kv", "short", 3, only_if_absent=True)) is not None
        assert await proc.call(Get("kv", "long")) == 2


async def test_store_key_lives_until_its_ttl(kv: Kv) -> None:
    if kv.real_time:
        ttl, before = 10.0, 0.0
    else:
        ttl, before = 60.0, 59.0
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1, ttl=ttl))
        await kv.pass_time(before)
        assert await proc.call(Get("kv", "k")) == 1


async def test_store_set_without_ttl_clears_the_ttl(kv: Kv) -> None:
    ttl = _ttl(kv)
    async with kv.node.process() as proc:
        await proc.call(Set("kv", "k", 1, ttl=ttl))
        await proc.call(Set("kv", "k", 2))
        item = await proc.call(Entry("kv", "k"))
        assert item is not None
        assert item.expires_in is None
        await kv.pass_time(ttl + 0.1)
        assert await proc.call(Get("kv", "k")) == 2


async def test_store_put_sets_a_ttl(kv: Kv) -> None:
    ttl = _ttl(kv)
    async with kv.node.process() as proc:
        version = await proc.call(Set("kv", "k", 1))
        await proc.call(Put("kv", "k", 2, ttl=ttl, if_version=version))
        item = await proc.call(Entry("kv", "k"))
        assert item is not None
        assert item.expires_in is not None
        await kv.pass_time(ttl + 0.1)
        assert await proc.call(Has("kv", "k")) is False


WORKERS = 20
INCREMENTS = 25


async def _increment(proc: actorkit.Process, times: int) -> int:
    """Add one to the counter ``times`` times with compare-and-set; returns the retries."""
    retries = 0
    for _ in range(times):
        while True:
            item = await proc.call(Entry("kv", "counter"))
            await trio.lowlevel.checkpoint()  # let the other workers read it too: they collide
            if item is None:
                done = await proc.call(Put("kv", "counter", 1, only_if_absent=True))
            else:
                done = await proc.call(
                    Put("kv", "counter", item.value + 1, if_version=item.version)
                )
            if done is not None:
                break
            retries += 1
    return retries


async def test_store_compare_and_set_never_loses_an_update(kv: Kv) -> None:
    retries: list[int] = []

    async def worker() -> None:
        retries.append(await kv.node.exec(_increment, INCREMENTS))

    async with trio.open_nursery() as nursery:
        for _ in range(WORKERS):
            nursery.start_soon(worker)
    async with kv.node.process() as proc:
        assert await proc.call(Get("kv", "counter")) == WORKERS * INCREMENTS
    assert len(retries) == WORKERS
    assert sum(retries) > 0  # the workers did collide


async def _write_forever(proc: actorkit.Process) -> None:
    n = 0
    while True:
        n += 1
        await proc.call(Set("kv", "busy", n))


async def test_store_call_cancelled_in_flight_leaves_the_store_usable(kv: Kv) -> None:
    pid = kv.node.spawn(_write_forever)
    async with kv.node.process() as proc:
        for _ in range(3):
            if kv.kind == "memory":  # completes inline: the writer never blocks
                await trio.lowlevel.checkpoint()
            else:  # the writer waits for its Set: a call in flight
                await trio.testing.wait_all_tasks_blocked()
        await proc.terminate(pid, "enough")
        last = await proc.call(Get("kv", "busy"))
        version = await proc.call(Set("kv", "busy", "after"))
        assert await proc.call(Entry("kv", "busy")) is not None
        assert await proc.call(Put("kv", "busy", "cas", if_version=version)) is not None
    assert last is None or isinstance(last, int)
