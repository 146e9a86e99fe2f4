"""examples/10_module.py, the third-party rate limiter, tested with the test kit.

Every test runs on the autojump clock, so the waits of a rate limiter take no real time.
"""

from __future__ import annotations

import math
import runpy
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import trio

import actorkit
from actorkit.errors import CommandArgumentError
from actorkit.testing import open_test_node

EXAMPLE = Path(__file__).parent.parent / "examples" / "10_module.py"


def _no_run(*args: object, **kwargs: object) -> str:
    return "(not run)"


@pytest.fixture(scope="module")
def ex() -> Iterator[dict[str, Any]]:
    """The example's globals.

    It is loaded under the name ``__main__``, as tests/test_examples.py runs it: a command ID
    belongs to one class (its module and name), so loading the file under a second name in
    the same interpreter would be refused with ``CommandTakenError``. ``actorkit.run`` is
    stubbed for the load, so the example's run line boots nothing.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(actorkit, "run", _no_run)
        yield runpy.run_path(str(EXAMPLE), run_name="__main__")


@pytest.fixture
async def api_node(
    ex: dict[str, Any], autojump_clock: trio.abc.Clock
) -> AsyncIterator[actorkit.Node]:
    """A test node with the example's limit ``api``: 10 tokens a second, a burst of 3."""
    async with open_test_node(modules=ex["MODULES"]) as booted:
        yield booted


async def test_example_module_main_runs_to_its_result(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    result = await api_node.exec(ex["main"])
    assert result == (
        "burst [True, True, True, False]; waited 0.1s; Wait (id=401) timed out after 0.01s; "
        "worker got 3 of 5; "
        "buckets 1; Acquire (id=400): tokens must be an int >= 1, got 0 (int)"
    )


async def test_example_module_acquire_refills_with_time(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    acquire = ex["Acquire"]
    async with api_node.process() as proc:
        assert [await proc.call(acquire("api", "k")) for _ in range(4)] == [True] * 3 + [False]
        await trio.sleep(0.2)  # 10 tokens/s: two more
        assert [await proc.call(acquire("api", "k")) for _ in range(3)] == [True, True, False]
        assert await proc.call(acquire("api", "other")) is True  # buckets are per key


async def test_example_module_acquire_completes_inline(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    async with api_node.process() as proc:
        assert proc.call_nowait(ex["Acquire"]("api", "k")) is True  # no task, no wait


async def test_example_module_wait_sleeps_until_the_tokens_are_there(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    wait = ex["Wait"]
    async with api_node.process() as proc:
        assert await proc.call(wait("api", "k", tokens=3)) == 0.0  # there: inline
        start = trio.current_time()
        waited = await proc.call(wait("api", "k", tokens=2))
    assert waited == pytest.approx(0.2)
    assert trio.current_time() - start == pytest.approx(0.2)


async def test_example_module_wait_past_its_timeout_is_too_slow(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    wait = ex["Wait"]
    async with api_node.process() as proc:
        await proc.call(wait("api", "k", tokens=3))
        start = trio.current_time()
        with pytest.raises(trio.TooSlowError, match=r"Wait \(id=401\) timed out after 0.1s"):
            await proc.call(wait("api", "k", tokens=3), timeout=0.1)  # needs 0.3 s
        assert trio.current_time() - start == pytest.approx(0.1)
        with pytest.raises(trio.TooSlowError), trio.fail_after(0.1):  # an enclosing deadline
            await proc.call(wait("api", "k", tokens=3))
        assert trio.current_time() - start == pytest.approx(0.2)


async def test_example_module_cancelled_wait_takes_no_tokens(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    wait, acquire = ex["Wait"], ex["Acquire"]
    async with api_node.process() as proc:
        await proc.call(wait("api", "k", tokens=3))
        with trio.move_on_after(0.05):
            await proc.call(wait("api", "k", tokens=1))  # its work is cancelled with it
        await trio.sleep(0.1)  # 0.15 s since the burst: one token, not taken by the Wait
        assert await proc.call(acquire("api", "k")) is True
        assert await proc.call(acquire("api", "k")) is False


async def test_example_module_bad_fields_fail_when_built(ex: dict[str, Any]) -> None:
    error = ex["RateLimitArgumentError"]
    acquire, wait, info = ex["Acquire"], ex["Wait"], ex["Info"]
    cases: list[tuple[Any, str]] = [
        (lambda: acquire("api", tokens=0), r"Acquire \(id=400\): tokens must be an int >= 1"),
        (lambda: acquire("api", tokens=True), r"tokens must be an int >= 1, got True"),
        (lambda: wait("", "k"), r"Wait \(id=401\): limit must be a non-empty str"),
        (lambda: wait("api", key=""), r"key must be None or a non-empty str"),
        (lambda: info(None), r"Info \(id=402\): limit must be a non-empty str"),
    ]
    for build, message in cases:
        with pytest.raises(error, match=message) as caught:
            build()
        assert isinstance(caught.value, CommandArgumentError)


async def test_example_module_unknown_limit_fails_only_that_call(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    async with api_node.process() as proc:
        with pytest.raises(ex["NoLimitError"], match=r"Acquire \(id=400\): no limit named 'x'"):
            await proc.call(ex["Acquire"]("x"))
        assert await proc.call(ex["Acquire"]("api")) is True


async def test_example_module_more_tokens_than_the_burst_fail_at_once(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    start = trio.current_time()
    async with api_node.process() as proc:
        for cmd in (ex["Acquire"]("api", tokens=4), ex["Wait"]("api", tokens=4)):
            with pytest.raises(ex["RateLimitError"], match=r"4 tokens exceed 'api' burst 3"):
                await proc.call(cmd)
    assert trio.current_time() == start


def test_example_module_bad_options_fail_when_declared(ex: dict[str, Any]) -> None:
    module = ex["module"]
    with pytest.raises(ValueError, match=r"ratelimit.module\('a'\): rate must be tokens/s > 0"):
        module({"a": (math.inf, 3)})
    with pytest.raises(ValueError, match=r"burst must be an int >= 1, got 0"):
        module({"a": (1.0, 0)})
    with pytest.raises(ValueError, match=r"no backend 'redis' \(have: memory\)"):
        module({"a": (1.0, 1)}, backend="redis")


async def test_example_module_exit_hook_drops_the_buckets_of_a_process(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    backend = ex["limiters"](api_node).backends["api"]
    pid = api_node.spawn(ex["spend_own_bucket"])
    assert (await api_node.wait(pid)).result == 3
    assert pid not in backend.buckets
    async with api_node.process() as proc:
        await proc.call(ex["Acquire"]("api"))
        assert proc.pid in backend.buckets  # a live process keeps its bucket
        await proc.call(ex["Acquire"]("api", "shared"))
    assert list(backend.buckets) == ["shared"]


async def test_example_module_sweep_drops_full_buckets(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    async with api_node.process() as proc:
        await proc.call(ex["Acquire"]("api", "k"))
        assert (await proc.call(ex["Info"]("api"))).buckets == 1
        await trio.sleep(61)  # the sweep runs every 60 s; the bucket refilled long ago
        assert (await proc.call(ex["Info"]("api"))).buckets == 0


async def test_example_module_fakes_script_its_commands(
    ex: dict[str, Any], api_node: actorkit.Node
) -> None:
    fake = api_node.fake(ex["Acquire"], lambda cmd: False)  # process code tested without limits
    result = await api_node.exec(ex["spend_own_bucket"])
    assert result == 0
    assert len(fake.calls) == 5


async def test_example_module_stop_leaves_nothing_behind(
    ex: dict[str, Any], autojump_clock: trio.abc.Clock
) -> None:
    async with open_test_node(modules=ex["MODULES"]) as node:
        assert ex["LIMITERS"].find(node) is not None
    assert ex["LIMITERS"].find(node) is None
