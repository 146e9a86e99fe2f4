"""A ``Server`` call (``call`` -> ``handle_call`` -> reply) against what a user would write
instead: asyncio's task + Queue ping-pong (the target), the same request/reply written by
hand with ``proc.request`` and ``proc.reply``, and raw Trio.

``server_call`` is the node's default, the direct hand-off (the synchronous ``handle_call``
of an idle server runs on the caller's turn); ``server_call_mailbox`` turns it off
(``direct_handoff=False``), every call a trip through the server's mailbox, against the
by-hand side: the same mechanism minus the behaviour, one ``receive`` loop answering each
request with ``proc.reply``. The raw side does the request/reply work with Trio alone: two
tasks on unbounded channels, one outstanding, the reply matched to the request by a ref and
bounded by a deadline (a cancel scope per request), which is what ``request`` does without
the monitor. Every side runs in its own event loop (a fresh ``trio.run`` and node, a fresh
``asyncio.run``), the sides taking turns; the figure is the median.
"""

from __future__ import annotations

import itertools
import math
from time import perf_counter

import trio

import actorkit
from actorkit.servers import Server, call

from . import _aio
from ._harness import join, reps, spawned
from ._peers import median_rates, on_node
from ._report import Result
from ._round_trip import asker, replier  # the same request/reply by hand

NAME = "server_call"
TARGET = 2.0  # x asyncio's ping-pong
MAILBOX_TARGET = 0.8  # x request/reply by hand
TIMEOUT = 60.0


class Echo(Server[int]):
    def init(self, proc: actorkit.Process) -> int:
        return 0

    def handle_call(self, request: object, state: int) -> tuple[object, int]:
        return request, state + 1


async def raw(_node: actorkit.Node, n: int) -> float:
    """Request/reply by ref with a deadline per request, on two tasks and two channels."""
    ask_send, ask_receive = trio.open_memory_channel[tuple[int, object]](math.inf)
    answer_send, answer_receive = trio.open_memory_channel[tuple[int, object]](math.inf)

    async def server() -> None:
        for _ in range(n):
            ref, payload = await ask_receive.receive()
            answer_send.send_nowait((ref, payload))

    refs = itertools.count(1)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(server)
        start = perf_counter()
        for i in range(n):
            ref = next(refs)
            with trio.fail_after(TIMEOUT):
                ask_send.send_nowait((ref, i))
                got, _ = await answer_receive.receive()
                assert got == ref
        return perf_counter() - start


async def _caller(proc: actorkit.Process, peer: actorkit.PID, n: int) -> float:
    start = perf_counter()
    for i in range(n):
        await call(proc, peer, i, timeout=TIMEOUT)
    return perf_counter() - start


async def by_hand(node: actorkit.Node, n: int) -> float:
    """``proc.request`` answered by a hand-written ``receive`` loop with ``proc.reply``."""
    server = spawned(node, replier, n)
    elapsed = await join(spawned(node, asker, server.pid, n))
    await join(server)
    assert isinstance(elapsed, float)
    return elapsed


async def with_server(node: actorkit.Node, n: int) -> float:
    """``call`` to an ``Echo`` server (the node's default: the direct hand-off)."""
    server = spawned(node, Echo.serve)
    elapsed = await join(spawned(node, _caller, server.pid, n))
    node.cancel(server.pid, "done")
    await join(server)
    assert isinstance(elapsed, float)
    return elapsed


async def through_mailbox(node: actorkit.Node, n: int) -> float:
    """``call`` to an ``Echo`` server with the direct hand-off off."""
    node.direct_handoff = False
    try:
        return await with_server(node, n)
    finally:
        node.direct_handoff = True


def measure(quick: bool) -> list[Result]:
    """Server calls per second: vs asyncio (target), by hand (mailbox) and raw Trio."""
    sides = {
        "server": on_node(with_server),
        "mailbox": on_node(through_mailbox),
        "by_hand": on_node(by_hand),
        "raw": on_node(raw),
        "asyncio": _aio.round_trip,
    }
    rates = median_rates(sides, 2000 if quick else 20000, reps(quick))
    return [
        Result.rate(
            NAME,
            rates["server"],
            rates["asyncio"],
            TARGET,
            baseline="2 tasks, unbounded Queues, put_nowait + await get (ping-pong)",
            peer="asyncio",
        ),
        Result.rate(
            "server_call_mailbox",
            rates["mailbox"],
            rates["by_hand"],
            MAILBOX_TARGET,
            baseline="direct_handoff=False vs proc.request answered by a receive loop "
            "with proc.reply (same mechanism)",
        ),
        Result.rate(
            "server_call_vs_raw",
            rates["server"],
            rates["raw"],
            None,
            baseline="(info, flatters) 2 tasks, unbounded channels, a ref and a deadline per "
            "request: two task switches per call where the hand-off makes none",
        ),
        Result.rate(
            "request_vs_raw",
            rates["by_hand"],
            rates["raw"],
            None,
            baseline="(info) proc.request + proc.reply vs 2 tasks, a ref and a deadline each",
        ),
    ]
