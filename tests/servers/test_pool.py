"""Worker pools: dispatch, backpressure, a crashed worker, stopping."""

from __future__ import annotations

from typing import Any

import pytest
import trio

import actorkit
from actorkit.modules import clock
from actorkit.servers import Server, call, cast, pool


async def job(proc: actorkit.Process, request: Any) -> tuple[str, float]:
    """Takes ``request`` seconds (raises on a negative one); replies who did it and when."""
    if request < 0:
        raise RuntimeError("a bad job")
    await proc.call(clock.Sleep(request))
    return str(proc.pid), trio.current_time()


async def test_pool_of_3_serves_10_callers_with_backpressure(node: actorkit.Node) -> None:
    replies: list[tuple[str, float]] = []
    async with node.process() as proc:
        await pool(job, size=3, name="jobs").start(proc, link=True)
        start = trio.current_time()

        async def caller() -> None:
            async with node.process() as client:
                replies.append(await call(client, "jobs", 1.0, timeout=10))

        async with trio.open_nursery() as nursery:
            for _ in range(10):
                nursery.start_soon(caller)
    finished = sorted(round(at - start, 3) for _, at in replies)
    assert finished == [1.0] * 3 + [2.0] * 3 + [3.0] * 3 + [4.0]  # 3 at a time
    assert len({worker for worker, _ in replies}) == 3


async def test_pool_waiting_call_is_bounded_by_its_timeout(node: actorkit.Node) -> None:
    async with node.process() as proc:
        await pool(job, size=1, name="jobs").start(proc, link=True)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(lambda: call(proc, "jobs", 3.0, timeout=10))  # the one worker
            await trio.sleep(0.1)
            async with node.process() as other:
                with pytest.raises(trio.TooSlowError):
                    await call(other, "jobs", 0.0, timeout=1.0)
                waited = trio.current_time()
                await call(other, "jobs", 0.0)  # the expired one was dropped, not served
            assert trio.current_time() - waited == pytest.approx(1.9)


async def test_pool_worker_crash_fails_its_caller_and_is_restarted(node: actorkit.Node) -> None:
    async with node.process() as proc:
        jobs = pool(job, size=2, name="jobs", backoff=actorkit.Backoff(initial=0))
        await jobs.start(proc, link=True)
        with pytest.raises(actorkit.RequestFailedError) as failed:
            await call(proc, "jobs", -1.0)
        assert failed.value.reason == "error"
        assert isinstance(failed.value.error, RuntimeError)
        await trio.sleep(0.1)
        results = [await call(proc, "jobs", 0.5) for _ in range(4)]
    assert len({worker for worker, _ in results}) == 2  # two live workers again


class Tally(Server[int]):
    def init(self, proc: actorkit.Process, owner: actorkit.PID) -> int:
        self.owner = owner
        return 0

    def handle_call(self, request: object, state: int) -> tuple[int, int]:
        return state, state

    async def handle_cast(self, msg: object, state: int) -> int:
        await self.proc.send(self.owner, "tallied", msg)
        return state + 1

    async def terminate(self, reason: str, state: int) -> None:
        await self.proc.send(self.owner, "stopped", reason)


async def test_pool_of_servers_takes_casts_and_stops_its_workers(node: actorkit.Node) -> None:
    async with node.process() as proc:
        pid = await proc.spawn(pool(Tally, proc.pid, size=2), monitor=True)
        for i in range(4):
            await cast(proc, pid, i)
        tallied = [(await proc.receive(topic="tallied", timeout=1)).payload for _ in range(4)]
        assert sum([await call(proc, pid, "n") for _ in range(2)]) == 4
        await proc.cancel(pid)
        stopped = [(await proc.receive(topic="stopped", timeout=1)).payload for _ in range(2)]
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=10)
    assert sorted(tallied) == [0, 1, 2, 3]  # type: ignore[type-var]
    assert stopped == ["shutdown", "shutdown"]  # the supervisor stops each worker
    assert exit_.error is None


def test_pool_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="size"):
        pool(job, size=0)


async def test_pool_as_a_supervised_child(node: actorkit.Node) -> None:
    jobs = pool(job, size=2, name="jobs")
    sup = actorkit.Supervisor([actorkit.ChildSpec("jobs", jobs, name="jobs")])
    async with node.process() as proc:
        await proc.spawn(sup, name="sup", link=True)
        children = await actorkit.SupervisorClient(proc, "sup").which_children()
        worker, _ = await call(proc, "jobs", 0.5)
    assert [child.id for child in children] == ["jobs"]
    assert worker.startswith("<")
