"""``python -m bench [--quick] [--json] [--only NAME] [--peers]``: actorkit vs raw Trio (and
asyncio and Pykka with ``--peers``), as ratios.

``python -m bench --scaling [--scaling-full] [--quick] [--json]``: the scaling curves
instead (round trips with up to 100k idle processes, spawn of 1k to 100k (1M with
``--scaling-full``), fan-out to 10k receivers), each point beside raw Trio.

``python -m bench --soak [--soak-scale F] [--json]``: the long runs instead (millions of
spawns, messages and crashes, memory sampled along the way); not part of the default table.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

import structlog

from . import (
    _call_inline,
    _cloudstorage,
    _cluster,
    _eval,
    _event_fanout,
    _function,
    _gateway,
    _io,
    _memory,
    _one_way,
    _peers,
    _redis,
    _round_trip,
    _scaling,
    _security,
    _servers,
    _soak,
    _spawn_exit,
    _sql,
    _store,
    _workflow,
)
from ._harness import reps
from ._report import Result, header, row

MEASURES: dict[str, Callable[[bool], list[Result]]] = {
    _round_trip.NAME: _round_trip.measure,
    _servers.NAME: _servers.measure,
    _one_way.NAME: _one_way.measure,
    _call_inline.NAME: _call_inline.measure,
    _spawn_exit.NAME: _spawn_exit.measure,
    _memory.NAME: _memory.measure,
}


def _function_call(quick: bool) -> list[Result]:
    rates = _function.rates(quick)
    call = rates["Call (async)"]
    return [
        Result.rate(
            _function.NAME,
            call,
            rates["raw task per call"],
            None,
            baseline="the function as a task in its own nursery per call",
        ),
        Result.rate(
            "function_call_vs_await",
            call,
            rates["raw await"],
            None,
            baseline="await the function directly",
        ),
    ]


def _sql_select(quick: bool) -> list[Result]:
    raw, naive, ours = (row.rates for row in _sql.measure(quick))
    many, one = max(_sql.CONCURRENCY), min(_sql.CONCURRENCY)
    naive_ = "trio.to_thread.run_sync per query, CapacityLimiter(1)"
    return [
        Result.rate(_sql.NAME, ours[many], naive[many], _sql.TARGET, baseline=f"{naive_} x{many}"),
        Result.rate(f"{_sql.NAME}_1_caller", ours[one], naive[one], None, baseline=naive_),
        Result.rate(
            f"{_sql.NAME}_vs_sqlite3",
            ours[many],
            raw[many],
            None,
            baseline="sqlite3 called on the Trio thread (blocks the loop)",
        ),
    ]


# The modules' measures (issues 3 and 4): run with --modules, or one with --only.
MODULE_MEASURES: dict[str, Callable[[bool], list[Result]]] = {
    _event_fanout.NAME: _event_fanout.measure,
    _function.NAME: _function_call,
    _store.NAME: _store.measure,
    _redis.NAME: _redis.measure,
    _sql.NAME: _sql_select,
    _security.NAME: _security.measure,
    _io.NAME: _io.measure,
    _gateway.NAME: _gateway.measure,
    _cloudstorage.NAME: _cloudstorage.measure,
    _eval.NAME: _eval.measure,
    _workflow.NAME: _workflow.measure,
    _cluster.NAME: _cluster.measure,
}


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.add_argument("--only", choices=[*MEASURES, *MODULE_MEASURES], help="run one measure")
    parser.add_argument("--modules", action="store_true", help="also run the modules' measures")
    parser.add_argument("--peers", action="store_true", help="also run asyncio and Pykka rows")
    parser.add_argument(
        "--scaling", action="store_true", help="run only the scaling curves (see bench/_scaling)"
    )
    parser.add_argument(
        "--scaling-full", action="store_true", help="with --scaling: add spawn of 1M processes"
    )
    parser.add_argument(
        "--soak",
        action="store_true",
        help="run only the long runs (1M spawn+exit, 5M ring messages, 100k crashes)",
    )
    parser.add_argument(
        "--soak-scale",
        type=float,
        default=1.0,
        metavar="F",
        help="multiply the soaks' counts by F (0.1 for a quick run)",
    )
    return parser.parse_args()


def _run_soak(scale: float, as_json: bool) -> None:
    if not scale > 0:
        raise SystemExit("--soak-scale must be a positive number")
    if not as_json:
        print(_soak.header(), flush=True)
    for kind in _soak.COUNTS:
        result = _soak.run_one(kind, scale)
        print(result.to_json() if as_json else _soak.row(result), flush=True)


def main() -> None:
    """Run the measures and print each row as soon as it is known."""
    args = _parse()
    # The bench is an application: it decides logging (warnings and worse only).
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    if args.soak:
        _run_soak(args.soak_scale, args.json)
        return
    if args.scaling:
        if not args.json:
            print(header(_scaling.ROUNDS), flush=True)
        for result in _scaling.rows(args.quick, args.scaling_full):
            print(result.to_json() if args.json else row(result), flush=True)
        return
    every = {**MEASURES, **MODULE_MEASURES, _peers.NAME: _peers.measure}
    names = [args.only] if args.only else [*MEASURES, *(MODULE_MEASURES if args.modules else ())]
    names += [_peers.NAME] if args.peers else []
    if not args.json:
        print(header(reps(args.quick)), flush=True)
    for name in names:
        for result in every[name](args.quick):
            print(result.to_json() if args.json else row(result), flush=True)


if __name__ == "__main__":
    main()
