"""Clock field checks: a wrong field fails when the command is built, naming it."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
import trio
import trio.testing

import actorkit
from actorkit.errors import CommandArgumentError
from actorkit.modules import clock


def reset_delay(value: Any) -> clock.TimerReset:
    return clock.TimerReset(1, value)


def reset_timer(value: Any) -> clock.TimerReset:
    return clock.TimerReset(value, 1)


BAD_DURATIONS = [math.nan, -1, -0.5, -math.inf, 10**400, "1", None, True, [1], 10j]


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (clock.Sleep, "seconds"),
        (clock.TimerStart, "delay"),
        (reset_delay, "delay"),
    ],
    ids=["Sleep", "TimerStart", "TimerReset"],
)
@pytest.mark.parametrize("value", BAD_DURATIONS, ids=repr)
def test_clock_bad_duration_is_refused_at_build(
    build: Callable[[Any], actorkit.Command[object]], field: str, value: object
) -> None:
    with pytest.raises(CommandArgumentError, match=rf"\(id=\d+\): {field} must be"):
        build(value)


@pytest.mark.parametrize("value", [*BAD_DURATIONS, 0, 0.0, math.inf], ids=repr)
def test_clock_ticker_interval_must_be_finite_and_positive(value: object) -> None:
    with pytest.raises(
        CommandArgumentError,
        match=r"^TickerStart \(id=14\): interval must be seconds > 0 \(int or float, finite",
    ):
        clock.TickerStart(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("build", [clock.TickerStop, clock.TimerWait, clock.TimerStop, reset_timer])
@pytest.mark.parametrize("value", ["1", 1.0, None, True], ids=repr)
def test_clock_ids_must_be_ints(build: Callable[[Any], object], value: object) -> None:
    with pytest.raises(CommandArgumentError, match=r": (ticker|timer) must be an int"):
        build(value)


def test_clock_sleep_string_names_the_field() -> None:
    with pytest.raises(CommandArgumentError) as caught:
        clock.Sleep("1")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Sleep (id=10): seconds must be seconds >= 0 (int or float, not NaN), got '1' (str)"
    )


@pytest.mark.parametrize("value", [0, 0.0, 2, 2.5, math.inf])
def test_clock_valid_durations_are_accepted(value: float) -> None:
    assert clock.Sleep(value).seconds == value
    assert clock.TimerStart(value).delay == value
    assert clock.TimerReset(1, value).delay == value


async def test_clock_nan_timer_leaves_the_caller_alive(node: actorkit.Node) -> None:
    async with node.process() as proc:
        timer = await proc.call(clock.TimerStart(1.0))
        with pytest.raises(CommandArgumentError, match="delay"):
            await proc.call(clock.TimerStart(math.nan))
        with pytest.raises(CommandArgumentError, match="delay"):
            await proc.call(clock.TimerReset(timer, math.nan))
        await proc.call(clock.TimerWait(timer))
        await proc.call(clock.Sleep(5.0))  # no late failure from the refused commands
        assert await proc.call(clock.TimerStop(timer)) is False


async def test_clock_infinite_timer_waits_for_a_reset(node: actorkit.Node) -> None:
    async with node.process() as proc:
        start = trio.current_time()
        timer = await proc.call(clock.TimerStart(math.inf))
        with pytest.raises(trio.TooSlowError):
            await proc.call(clock.TimerWait(timer), timeout=100.0)
        assert await proc.call(clock.TimerReset(timer, 1.0)) is True
        await proc.call(clock.TimerWait(timer))
    assert trio.current_time() - start == pytest.approx(101.0)


async def test_clock_tiny_ticker_interval_keeps_ticking(node: actorkit.Node) -> None:
    async def reader(proc: actorkit.Process) -> int:
        await proc.call(clock.TickerStart(5e-324))
        # The ticker is always due, so the autojump clock never idles: move it by hand,
        # far enough that the period count overflows a float.
        clock_ = trio.lowlevel.current_clock()
        assert isinstance(clock_, trio.testing.MockClock)
        clock_.jump(1.0)
        ticks = [await proc.receive(kind=clock.Tick) for _ in range(proc.mailbox.capacity + 3)]
        return ticks[-1].seq - ticks[0].seq

    assert await node.exec(reader) > 0
