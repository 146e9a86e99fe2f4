"""A module of your own: a rate limiter built only on actorkit's door for module authors.

It has everything a built-in module has, in one file: an ID range, commands whose fields
are checked when they are built, errors in the actorkit tree, a backend protocol with an
in-memory adapter chosen by name, per-node state, a boot component that runs a service, one
handler that answers inline and one that starts work, and an exit hook. The guide
``docs/guides/writing-a-module.md`` walks through it, and ``tests/test_example_module.py``
tests it with the test kit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Protocol

import attrs
import trio

import actorkit
from actorkit import checks, errors, lowlevel

# -- the ID range and the errors -----------------------------------------------------------

lowlevel.declare_range("ratelimit", 400, 409)  # an ID is a wire contract: never reuse one


class RateLimitError(errors.ActorkitError):
    """A rate-limit command could not be carried out."""


class NoLimitError(RateLimitError):
    """No limit of that name was booted."""


class RateLimitArgumentError(errors.CommandArgumentError):
    """A field of a rate-limit command is not valid (raised when the command is built)."""


# -- the commands --------------------------------------------------------------------------

NAME = checks.text(non_empty=True).raising(RateLimitArgumentError)
KEY = checks.text(optional=True, non_empty=True).raising(RateLimitArgumentError)
TOKENS = checks.integer(minimum=1).raising(RateLimitArgumentError)


@lowlevel.command(id=400, module="ratelimit")
class Acquire(actorkit.Command[bool]):
    """Take ``tokens`` from the bucket ``key`` of ``limit`` if it holds them: True, else
    False at once. ``key=None`` is the caller's own bucket, dropped when it exits."""

    limit: str = attrs.field(validator=NAME)
    key: str | None = attrs.field(default=None, validator=KEY)
    tokens: int = attrs.field(default=1, validator=TOKENS)


@lowlevel.command(id=401, module="ratelimit")
class Wait(actorkit.Command[float]):
    """Take ``tokens``, waiting until the bucket holds them; returns the seconds waited."""

    limit: str = attrs.field(validator=NAME)
    key: str | None = attrs.field(default=None, validator=KEY)
    tokens: int = attrs.field(default=1, validator=TOKENS)


@attrs.frozen
class LimitInfo:
    """What :class:`Info` returns."""

    rate: float
    burst: int
    buckets: int


@lowlevel.command(id=402, module="ratelimit")
class Info(actorkit.Command[LimitInfo]):
    """The rate and burst of ``limit``, and how many buckets it holds now."""

    limit: str = attrs.field(validator=NAME)


# -- the backend ---------------------------------------------------------------------------

Key = str | actorkit.PID


class Backend(Protocol):
    """Where the buckets of one limit live. Its methods are synchronous, so handlers answer
    inline; a backend on a server (Redis, say) would have handlers start work instead."""

    rate: float  # tokens added to each bucket per second
    burst: int  # the most a bucket holds

    def take(self, key: Key, tokens: int, now: float) -> float:
        """Take ``tokens`` and return 0.0, or take nothing and return the seconds until
        the bucket will hold them."""
        ...

    def forget(self, key: Key) -> None:
        """Drop the bucket ``key``, if there is one."""
        ...

    def sweep(self, now: float) -> int:
        """Drop the buckets that are full again (as good as new); return how many."""
        ...

    def __len__(self) -> int:
        """How many buckets it holds."""
        ...


@attrs.define
class _Bucket:
    level: float
    at: float


class MemoryBackend:
    """Token buckets in a dict: ``rate`` tokens a second, at most ``burst`` at once."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = burst
        self.buckets: dict[Key, _Bucket] = {}

    def take(self, key: Key, tokens: int, now: float) -> float:
        bucket = self.buckets.setdefault(key, _Bucket(self.burst, now))
        bucket.level = min(self.burst, bucket.level + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.level + 1e-9 >= tokens:  # 1e-9: a float refill may fall a hair short
            bucket.level -= tokens
            return 0.0
        return (tokens - bucket.level) / self.rate

    def forget(self, key: Key) -> None:
        self.buckets.pop(key, None)

    def sweep(self, now: float) -> int:
        full = [
            k for k, b in self.buckets.items() if b.level + (now - b.at) * self.rate >= self.burst
        ]
        for key in full:
            del self.buckets[key]
        return len(full)

    def __len__(self) -> int:
        return len(self.buckets)


# Backends by name. A module with adapters that need other libraries keeps each one in its
# own file (backends/redis.py …) and imports it only when that name is chosen.
BACKENDS: dict[str, Callable[[float, int], Backend]] = {"memory": MemoryBackend}


# -- per-node state and the exit hook ------------------------------------------------------


@attrs.define
class Limiters:
    """The limits booted on one node, by name, with their backends."""

    backends: dict[str, Backend]
    sweeper: trio.CancelScope = attrs.field(factory=trio.CancelScope)

    def on_exit(self, proc: lowlevel.ProcessRef, result: object, error: object) -> None:
        """The exit hook: a process that exits takes its own buckets with it."""
        for backend in self.backends.values():
            backend.forget(proc.pid)

    def backend_of(self, cmd: Acquire | Wait | Info) -> Backend:
        backend = self.backends.get(cmd.limit)
        if backend is None:
            names = ", ".join(map(repr, self.backends)) or "none"
            label = checks.label(type(cmd))
            raise NoLimitError(f"{label}: no limit named {cmd.limit!r} (limits: {names})")
        return backend


LIMITERS = lowlevel.NodeVar[Limiters]("ratelimit")


def limiters(node: actorkit.Node) -> Limiters:
    """The limits booted on ``node``; ``LookupError`` if the module is not booted there."""
    return LIMITERS.get(node)


# -- the handlers --------------------------------------------------------------------------


def bucket_of(ctx: actorkit.HandlerContext, cmd: Acquire | Wait) -> tuple[Backend, Key]:
    """The backend and bucket a command names: its ``key``, or else the caller's PID."""
    backend = limiters(ctx.node).backend_of(cmd)
    if cmd.tokens > backend.burst:  # a bucket never holds more than its burst
        label = checks.label(type(cmd))
        raise RateLimitError(
            f"{label}: {cmd.tokens} tokens exceed {cmd.limit!r} burst {backend.burst}"
        )
    return backend, ctx.pid if cmd.key is None else cmd.key


def handle_acquire(
    ctx: actorkit.HandlerContext, cmd: Acquire, tag: int, receiver: actorkit.Receiver
) -> None:
    """A raw handler that always completes inline: no task, no wait."""
    backend, key = bucket_of(ctx, cmd)  # raising here fails the call with that error
    delay = backend.take(key, cmd.tokens, trio.current_time())
    receiver.complete_yield(tag, delay == 0.0, None)


def handle_wait(
    ctx: actorkit.HandlerContext, cmd: Wait, tag: int, receiver: actorkit.Receiver
) -> None:
    """Inline when the tokens are there; otherwise work that sleeps until they are."""
    backend, key = bucket_of(ctx, cmd)
    if backend.take(key, cmd.tokens, trio.current_time()) == 0.0:
        receiver.complete_yield(tag, 0.0, None)
    else:
        ctx.start_soon(tag, wait_for_tokens, backend, key, cmd.tokens, tag, receiver)


async def wait_for_tokens(
    backend: Backend, key: Key, tokens: int, tag: int, receiver: actorkit.Receiver
) -> None:
    """The work of a Wait: cancelled if the caller times out, is cancelled, or exits."""
    start = trio.current_time()
    while True:
        delay = backend.take(key, tokens, trio.current_time())
        if delay == 0.0:
            break
        await trio.sleep(delay)  # another caller may take the tokens first: then try again
    receiver.complete_yield(tag, trio.current_time() - start, None)


async def handle_info(ctx: actorkit.HandlerContext, cmd: Info) -> LimitInfo:
    """A plain ``async def`` handler: the runtime wraps it to run as work (a task per
    call, the simplest form; fine for a command that is rarely called)."""
    backend = limiters(ctx.node).backend_of(cmd)
    return LimitInfo(backend.rate, backend.burst, len(backend))


TABLE: lowlevel.HandlerTable = {Acquire: handle_acquire, Wait: handle_wait, Info: handle_info}
"""The handler table: one handler per command, by command class."""


# -- the boot factory ----------------------------------------------------------------------

RATE = checks.Check(lambda v: checks.is_number(v) and 0 < v < math.inf, "tokens/s > 0")
BURST = checks.integer(minimum=1)
INTERVAL = checks.duration(finite=True, positive=True)


def module(
    limits: Mapping[str, tuple[float, int]], *, backend: str = "memory", sweep: float = 60.0
) -> actorkit.Component:
    """The rate limiter's component: ``limits`` maps a name to ``(rate, burst)``.

    Raises:
        ValueError: a wrong option, or a backend name that is not in :data:`BACKENDS`.
    """
    make = _checked(limits, backend, sweep)

    def load(boot: actorkit.Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: actorkit.Boot) -> None:
        state = Limiters({name: make(rate, burst) for name, (rate, burst) in limits.items()})
        LIMITERS.set(boot.node, state)
        lowlevel.add_exit_hook(boot.node, state.on_exit)
        boot.services.start_soon(sweeping, state, sweep)

    async def stop(boot: actorkit.Boot) -> None:
        state = LIMITERS.get(boot.node)
        state.sweeper.cancel()
        lowlevel.remove_exit_hook(boot.node, state.on_exit)
        LIMITERS.reset(boot.node)

    return actorkit.Component("ratelimit", load=load, start=start, stop=stop)


def _checked(
    limits: Mapping[str, tuple[float, int]], backend: str, sweep: float
) -> Callable[[float, int], Backend]:
    INTERVAL.option("ratelimit.module", "sweep", sweep)
    for name, (rate, burst) in limits.items():
        NAME.option("ratelimit.module", "limit name", name)
        RATE.option(f"ratelimit.module({name!r})", "rate", rate)
        BURST.option(f"ratelimit.module({name!r})", "burst", burst)
    if backend not in BACKENDS:
        raise ValueError(f"ratelimit.module: no backend {backend!r} (have: {', '.join(BACKENDS)})")
    return BACKENDS[backend]


async def sweeping(state: Limiters, interval: float) -> None:
    """The module's service: drop full buckets every ``interval`` seconds until stopped."""
    with state.sweeper:
        while True:
            await trio.sleep(interval)
            for backend in state.backends.values():
                backend.sweep(trio.current_time())


# -- using it ------------------------------------------------------------------------------

MODULES = [module({"api": (10.0, 3)})]


async def spend_own_bucket(proc: actorkit.Process) -> int:
    """A process that spends its own bucket (no key): it exits holding one."""
    return sum([await proc.call(Acquire("api")) for _ in range(5)])


async def main(proc: actorkit.Process) -> str:
    burst = [await proc.call(Acquire("api", "alice")) for _ in range(4)]  # burst 3
    waited = await proc.call(Wait("api", "alice"), timeout=1.0)  # 10 tokens/s: 0.1 s
    late = await too_slow(proc)
    pid = await proc.spawn(spend_own_bucket, monitor=True)
    spent = await proc.receive(kind=actorkit.Exit, match=lambda e: e.pid == pid)
    info = await proc.call(Info("api"))  # alice's bucket; the worker's left with it
    return (
        f"burst {burst}; waited {waited:.1f}s; {late}; worker got {spent.result} of 5; "
        f"buckets {info.buckets}; {refused()}"
    )


async def too_slow(proc: actorkit.Process) -> str:
    """A Wait longer than its timeout: the caller gets TooSlowError, the work is cancelled."""
    try:
        await proc.call(Wait("api", "alice", tokens=3), timeout=0.01)  # needs 0.3 s
    except trio.TooSlowError as exc:
        return str(exc)
    return "in time"


def refused() -> str:
    """A wrong field fails when the command is built, before anything runs."""
    try:
        Acquire("api", tokens=0)
    except RateLimitArgumentError as exc:
        return str(exc)
    return "accepted"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
