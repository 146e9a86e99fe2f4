"""A late result is never delivered to a later call, whatever order things happen in.

Each example is a script of calls made by one process. Every call carries a value of its
own; its handler completes inline, after a delay (maybe exactly at the caller's deadline),
later by an outside task (maybe twice, maybe after the call was abandoned), or never. The
caller times out, is cancelled by an enclosing scope or by another task, or waits. Every
call must end with its own value, its own error, a timeout or a cancellation, and the next
call must start clean. ``ACTORKIT_PROPERTY_EXAMPLES`` raises the number of scripts tried.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import attrs
import trio
import trio.testing
from hypothesis import given, settings
from hypothesis import strategies as st

import actorkit
from actorkit._api._process import state_of
from actorkit.testing import open_test_node

EXAMPLES = int(os.environ.get("ACTORKIT_PROPERTY_EXAMPLES", "1000"))
TIMES = st.sampled_from([0.0, 0.5, 1.0, 2.0])


@actorkit.command(id=40900)
class Echo(actorkit.Command[int]):
    """Complete with ``value``: inline (``how="inline"``), after ``delay`` seconds of work
    (``"work"``), or from outside the handler (``"outside"``: ``delay`` later, ``twice``)."""

    value: int
    how: str
    delay: float = 0.0
    twice: bool = False


@attrs.frozen
class Step:
    """One call of the script and how its caller ends it."""

    cmd: Echo
    timeout: float | None  # the call's own timeout
    scope: float | None  # an enclosing move_on_after
    killer: float | None  # another task cancels the caller's scope after this long


@attrs.define
class Outside:
    """Completes stashed calls from a task of its own, as a backend thread would."""

    send: trio.MemorySendChannel[tuple[float, int, actorkit.Receiver, int, bool]]

    def handle(
        self, _ctx: actorkit.HandlerContext, cmd: Echo, tag: int, receiver: actorkit.Receiver
    ) -> None:
        if cmd.how == "inline":
            receiver.complete_yield(tag, cmd.value, None)
        elif cmd.how == "work":
            _ctx.start_soon(tag, _work, cmd, tag, receiver)
        else:
            self.send.send_nowait((cmd.delay, tag, receiver, cmd.value, cmd.twice))


async def _work(cmd: Echo, tag: int, receiver: actorkit.Receiver) -> None:
    await trio.sleep(cmd.delay)
    receiver.complete_yield(tag, cmd.value, None)


async def _complete_later(
    receive: trio.MemoryReceiveChannel[tuple[float, int, actorkit.Receiver, int, bool]],
) -> None:
    async with trio.open_nursery() as nursery:
        async for delay, tag, receiver, value, twice in receive:
            nursery.start_soon(_finish, delay, tag, receiver, value, twice)


async def _finish(
    delay: float, tag: int, receiver: actorkit.Receiver, value: int, twice: bool
) -> None:
    await trio.sleep(delay)
    receiver.complete_yield(tag, value, None)
    if twice:
        await trio.sleep(delay / 2)
        receiver.complete_yield(tag, -value, None)


def _step(
    how: str,
    delay: float,
    twice: bool,
    timeout: float | None,
    scope: float | None,
    killer: float | None,
) -> Step:
    return Step(Echo(0, how, delay, twice), timeout, scope, killer)


def steps() -> st.SearchStrategy[list[Step]]:
    how = st.sampled_from(["inline", "work", "outside"])
    maybe = st.none() | TIMES
    step = st.builds(_step, how, TIMES, st.booleans(), maybe, maybe, maybe)
    return st.lists(step, min_size=1, max_size=12)


async def _one_call(proc: actorkit.Process, step: Step, value: int) -> str:
    """Run one step; return how it ended (and check a value is the call's own)."""
    cmd = Echo(value, step.cmd.how, step.cmd.delay, step.cmd.twice)
    with trio.CancelScope() as killable:
        async with trio.open_nursery() as nursery:
            if step.killer is not None:
                nursery.start_soon(_cancel_after, killable, step.killer)
            ended = await _call(proc, cmd, step)
            nursery.cancel_scope.cancel()
        return ended
    return "killed"


async def _cancel_after(scope: trio.CancelScope, delay: float) -> None:
    await trio.sleep(delay)
    scope.cancel()


async def _call(proc: actorkit.Process, cmd: Echo, step: Step) -> str:
    with trio.move_on_after(step.scope if step.scope is not None else float("inf")):
        try:
            result = await proc.call(cmd, timeout=step.timeout)
        except trio.TooSlowError:
            return "timeout"
        assert result == cmd.value, f"{cmd} returned {result}: another call's result"
        return "value"
    return "cancelled"


def _run(script: list[Step]) -> list[str]:
    ended: list[str] = []

    async def main() -> None:
        send, receive = trio.open_memory_channel[tuple[float, int, actorkit.Receiver, int, bool]](
            1000
        )
        outside = Outside(send)
        component = actorkit.handlers("echo", {Echo: outside.handle})
        async with (
            open_test_node(modules=[component]) as node,
            trio.open_nursery() as nursery,
        ):
            nursery.start_soon(_complete_later, receive)
            async with node.process() as proc:
                for number, step in enumerate(script, start=1):
                    ended.append(await _one_call(proc, step, number))
                # The process starts clean after all of that: a fresh call gets its own value.
                assert await proc.call(Echo(10_000, "work", 0.25)) == 10_000
                await trio.testing.wait_all_tasks_blocked()
                assert state_of(proc).inflight == {}
            nursery.cancel_scope.cancel()

    trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0))
    return ended


@settings(max_examples=EXAMPLES, deadline=None)
@given(steps())
def test_late_results_never_reach_a_later_call(script: list[Step]) -> None:
    ended = _run(script)
    assert len(ended) == len(script)


def _script(*steps: tuple[str, float, float | None, float | None]) -> list[Step]:
    return [Step(Echo(0, how, delay), timeout, scope, None) for how, delay, timeout, scope in steps]


CASES: dict[str, Callable[[], list[Step]]] = {
    "work ends at the call's deadline": lambda: _script(("work", 1.0, 1.0, None)) * 5,
    "work ends at the enclosing deadline": lambda: _script(("work", 1.0, None, 1.0)) * 5,
    "outside completion after a timeout": lambda: _script(("outside", 2.0, 1.0, None)) * 5,
}


def test_late_results_the_reported_cases() -> None:
    """The interleavings from the report, each followed by calls that must get their own."""
    for name, script in CASES.items():
        ended = _run(script() + _script(("work", 0.5, None, None)) * 3)
        assert ended[-3:] == ["value"] * 3, name
        assert "timeout" in ended or "cancelled" in ended, name
