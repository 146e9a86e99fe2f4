"""Pykka, the thread-per-actor library a user might pick instead (an optional dependency:
``pip install -e '.[bench]'``). Each function does ``n`` operations from the calling
thread, which is not an actor, as a Pykka program's main thread does, and returns the
seconds they took."""

from __future__ import annotations

from time import perf_counter

import pykka

EXTRA = "pip install -e '.[bench]'"


class Echo(pykka.ThreadingActor):
    """Answers every message with the message."""

    def on_receive(self, message: object) -> object:
        return message


def ask(n: int) -> float:
    """``ref.ask(i)`` in a loop: a round trip to the actor's thread and back."""
    ref = Echo.start()
    try:
        start = perf_counter()
        for i in range(n):
            ref.ask(i)
        return perf_counter() - start
    finally:
        ref.stop()


def tell(n: int) -> float:
    """``ref.tell(i)`` ``n`` times, until the actor has handled all of them (an ``ask``
    queued behind them comes back)."""
    ref = Echo.start()
    try:
        start = perf_counter()
        for i in range(n):
            ref.tell(i)
        ref.ask(None)
        return perf_counter() - start
    finally:
        ref.stop()


def start_stop(n: int) -> float:
    """Start ``n`` actors, then stop them all, until every one has stopped."""
    start = perf_counter()
    refs = [Echo.start() for _ in range(n)]
    stopped = [ref.stop(block=False) for ref in refs]
    for future in stopped:
        future.get()
    return perf_counter() - start
