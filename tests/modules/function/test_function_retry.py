"""Retry policies: attempt counts and delays on the autojump clock."""

from __future__ import annotations

import math

import pytest
import trio
import trio.testing

from actorkit.modules import function
from actorkit.testing import open_test_node

attempts: list[float] = []


@pytest.fixture(autouse=True)
def fresh_attempts() -> None:
    attempts.clear()


class Flaky(Exception):
    pass


async def flaky(failures: int) -> str:
    """Fails ``failures`` times, then succeeds; records the time of every attempt."""
    attempts.append(trio.current_time())
    await trio.lowlevel.checkpoint()
    if len(attempts) <= failures:
        raise Flaky(f"attempt {len(attempts)}")
    return f"ok after {len(attempts)}"


def flaky_sync(failures: int) -> str:
    attempts.append(trio.current_time())
    if len(attempts) <= failures:
        raise Flaky(f"attempt {len(attempts)}")
    return f"ok after {len(attempts)}"


async def wrong_kind() -> None:
    attempts.append(trio.current_time())
    await trio.lowlevel.checkpoint()
    raise KeyError("not retried")


def offsets() -> list[float]:
    return [t - attempts[0] for t in attempts]


POLICY = function.RetryPolicy(max_attempts=4, initial_delay=1.0, backoff_factor=2.0, max_delay=3.0)


async def run(
    functions: function.Function, name: str, *args: object, timeout: float | None = None
) -> object:
    async with (
        open_test_node(modules=[function.module(functions)]) as node,
        node.process() as proc,
    ):
        return await proc.call(function.Call(name, args), timeout=timeout)


async def test_retry_succeeds_after_failures_with_backoff(
    autojump_clock: trio.testing.MockClock,
) -> None:
    assert await run(function.Function("f", flaky, retry=POLICY), "f", 2) == "ok after 3"
    assert offsets() == [0.0, 1.0, 3.0]


async def test_retry_gives_up_after_max_attempts_with_the_last_error(
    autojump_clock: trio.testing.MockClock,
) -> None:
    with pytest.raises(Flaky, match=r"^attempt 4") as info:
        await run(function.Function("f", flaky, retry=POLICY), "f", 10)
    # Delays 1, 2, then 4 capped at max_delay=3.
    assert offsets() == [0.0, 1.0, 3.0, 6.0]
    assert info.value.__notes__ == ["Call (id=140): function 'f' failed 4 times"]


async def test_retry_applies_to_cheap_sync_functions(
    autojump_clock: trio.testing.MockClock,
) -> None:
    spec = function.Function("f", flaky_sync, retry=POLICY, cheap=True)
    assert await run(spec, "f", 1) == "ok after 2"
    assert offsets() == [0.0, 1.0]


async def test_retry_skips_errors_outside_retry_on(autojump_clock: trio.testing.MockClock) -> None:
    policy = function.RetryPolicy(max_attempts=5, retry_on=(Flaky,))
    with pytest.raises(KeyError):
        await run(function.Function("f", wrong_kind, retry=policy), "f")
    assert len(attempts) == 1


async def test_retry_on_predicate_decides(autojump_clock: trio.testing.MockClock) -> None:
    policy = function.RetryPolicy(
        max_attempts=5, initial_delay=0.5, retry_on=lambda exc: str(exc) != "attempt 2"
    )
    with pytest.raises(Flaky, match=r"^attempt 2"):
        await run(function.Function("f", flaky, retry=policy), "f", 10)
    assert offsets() == [0.0, 0.5]


async def test_retry_never_repeats_argument_errors(autojump_clock: trio.testing.MockClock) -> None:
    start = trio.current_time()
    with pytest.raises(function.FunctionArgumentError):
        await run(function.Function("f", flaky, retry=POLICY), "f", 1, 2)
    assert attempts == []
    assert trio.current_time() == start


async def test_retry_module_default_and_function_override(
    autojump_clock: trio.testing.MockClock,
) -> None:
    default = function.RetryPolicy(max_attempts=2, initial_delay=5.0)
    own = function.RetryPolicy(max_attempts=3, initial_delay=1.0, backoff_factor=1.0)
    module = function.module(
        {"default": flaky}, function.Function("own", flaky, retry=own), retry=default
    )
    async with open_test_node(modules=[module]) as node, node.process() as proc:
        with pytest.raises(Flaky):
            await proc.call(function.Call("default", (10,)))
        assert offsets() == [0.0, 5.0]
        attempts.clear()
        with pytest.raises(Flaky):
            await proc.call(function.Call("own", (10,)))
        assert offsets() == [0.0, 1.0, 2.0]


async def test_retry_stops_when_the_caller_times_out(
    autojump_clock: trio.testing.MockClock,
) -> None:
    with pytest.raises(trio.TooSlowError):
        await run(function.Function("f", flaky, retry=POLICY), "f", 10, timeout=2.0)
    assert offsets() == [0.0, 1.0]
    await trio.sleep(100)
    assert len(attempts) == 2


async def test_retry_for_async_start_delivers_the_final_result(
    autojump_clock: trio.testing.MockClock,
) -> None:
    module = function.module(function.Function("f", flaky, retry=POLICY))
    async with open_test_node(modules=[module]) as node, node.process() as proc:
        handle = await proc.call(function.AsyncStart("f", (3,)))
        event = await proc.receive(kind=function.FunctionResult)
    assert (event.handle, event.result, event.error) == (handle, "ok after 4", None)
    assert offsets() == [0.0, 1.0, 3.0, 6.0]


def test_retry_policy_delays() -> None:
    policy = function.RetryPolicy(initial_delay=0.5, backoff_factor=3.0, max_delay=10.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.5, 4.5, 10.0]


def test_retry_policy_jitter_stays_in_bounds() -> None:
    policy = function.RetryPolicy(initial_delay=2.0, jitter=0.25)
    delays = {policy.delay(1) for _ in range(200)}
    assert all(1.5 <= d <= 2.5 for d in delays)
    assert len(delays) > 1


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"max_attempts": 0}, "max_attempts must be an int >= 1"),
        ({"max_attempts": 1.5}, "max_attempts must be an int >= 1"),
        ({"max_attempts": True}, "max_attempts must be an int >= 1"),
        ({"initial_delay": -1.0}, "initial_delay must be seconds >= 0"),
        ({"initial_delay": math.nan}, "initial_delay must be seconds >= 0"),
        ({"initial_delay": math.inf}, "initial_delay must be seconds >= 0 .*finite"),
        ({"backoff_factor": 0.0}, "backoff_factor must be seconds > 0"),
        ({"backoff_factor": math.inf}, "backoff_factor must be seconds > 0"),
        ({"max_delay": -0.1}, "max_delay must be seconds >= 0"),
        ({"max_delay": "30"}, "max_delay must be seconds >= 0"),
        ({"jitter": 1.5}, r"jitter must be a number in \[0, 1\]"),
        ({"jitter": math.nan}, r"jitter must be a number in \[0, 1\]"),
        ({"retry_on": (ValueError, "x")}, "retry_on must hold exception types"),
        ({"retry_on": 3}, "retry_on must be a tuple or a predicate"),
    ],
)
def test_retry_policy_rejects_bad_values(options: dict[str, object], error: str) -> None:
    with pytest.raises((ValueError, TypeError), match=f"^RetryPolicy: {error}"):
        function.RetryPolicy(**options)  # type: ignore[arg-type]


def test_retry_policy_huge_backoff_is_capped_not_an_overflow() -> None:
    policy = function.RetryPolicy(
        max_attempts=5000, initial_delay=1.0, backoff_factor=1e300, max_delay=60.0, jitter=0.5
    )
    assert policy.delay(4000) <= 90.0
    unbounded = function.RetryPolicy(initial_delay=1.0, backoff_factor=1e300, max_delay=math.inf)
    assert unbounded.delay(3) == math.inf
    assert function.RetryPolicy(initial_delay=0.0, backoff_factor=1e300).delay(9) == 0.0
