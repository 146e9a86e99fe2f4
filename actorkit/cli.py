"""The command line: ``actorkit run`` runs a program on a node, ``actorkit top`` watches one.

Exit codes of ``actorkit run``: 0 when main returns (its result, unless None, is printed),
1 when main fails, 2 for a usage error (a target that cannot load, a main with the wrong
signature, a boot failure), 130 after Ctrl-C (SIGINT) and 143 after SIGTERM, both of which
stop the node gracefully.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import importlib.util
import inspect
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

import attrs
import structlog
import trio
from structlog.typing import EventDict

from actorkit import Component, Node, observer, open_node
from actorkit._run_nodes import cluster_component, cluster_name, started_workers, wait_joined
from actorkit.errors import BootError, ProcessFailedError
from actorkit.lowlevel import is_process_function
from actorkit.modules import embedded
from actorkit.observer.top import watch

ProcessFn = Callable[..., Awaitable[object]]
"""A program's main: ``async def main(proc, *argv)``."""

DESCRIPTION = "Run an actorkit program on a node, or watch a running node."
RUN_EPILOG = """\
examples:
  actorkit run app.py:main            main(proc) in the file app.py
  actorkit run pkg.app:serve          serve(proc) in the module pkg.app
  actorkit run app.py -- a b          main(proc, "a", "b")
  actorkit run app.py --nodes 4       main on node n0 of a 4-node cluster (one per core)
  actorkit run app.py --join NAME     a node that joins cluster NAME and serves (no main)

Ctrl-C or SIGTERM stops the node gracefully (exit 130 or 143)."""
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``actorkit`` command; returns the exit code."""
    parser = _parser()
    options, main_argv = _split_at_dashes(sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(options)
    args.argv = main_argv
    if main_argv and args.command != "run":
        parser.error("arguments after -- are for `actorkit run`")
    if args.command == "top":
        return watch(args.host, args.port, once=args.once)
    configure_logging(json=args.json, level=args.log_level)
    try:
        fn, modules = load_target(args.target, args.argv)
    except Exception as exc:  # a target that cannot load is a usage error, whatever it raised
        print(f"actorkit: cannot load {args.target!r}: {_describe(exc)}", file=sys.stderr)
        return 2
    return _run(fn, modules, args)


def _split_at_dashes(argv: list[str]) -> tuple[list[str], list[str]]:
    """The CLI's own arguments, and those after the first ``--`` (for main)."""
    if "--" not in argv:
        return argv, []
    at = argv.index("--")
    return argv[:at], argv[at + 1 :]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="actorkit", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"actorkit {_version()}")
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser(
        "run",
        usage="actorkit run [options] TARGET [-- ARG ...]",
        help="run a process program on a node",
        description="Boot a node, run main(proc, *argv) as its first process, shut down.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run_cmd.add_argument(
        "target", metavar="TARGET", help="file.py:function or package.module:function"
    )
    run_cmd.add_argument("--json", action="store_true", help="log JSON lines")
    run_cmd.add_argument("--log-level", default="info", help="debug, info, warning, error")
    run_cmd.add_argument("--node-name", default="local", help="the node's name in PIDs")
    run_cmd.add_argument("--grace", type=float, default=10.0, help="shutdown grace, seconds")
    run_cmd.add_argument("--observe", type=int, metavar="PORT", help="serve statistics for top")
    run_cmd.add_argument(
        "--web",
        metavar="[HOST]:PORT",
        help="serve the live web view of the node (on 127.0.0.1 unless HOST is given)",
    )
    run_cmd.add_argument(
        "--nodes", type=_positive, default=1, metavar="N", help="run N nodes joined in a cluster"
    )
    run_cmd.add_argument("--join", metavar="CLUSTER", help="join CLUSTER and serve, without main")
    run_cmd.add_argument("--cluster", metavar="NAME", help="the cluster --nodes forms")
    run_cmd.add_argument("--redis", metavar="URL", help="the cluster's Redis (ACTORKIT_REDIS_URL)")
    top_cmd = commands.add_parser("top", help="watch a running node's processes live")
    top_cmd.add_argument("--port", type=int, required=True, help="the node's --observe port")
    top_cmd.add_argument("--host", default="127.0.0.1")
    top_cmd.add_argument("--once", action="store_true", help="print one frame and exit")
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _web_view(address: str) -> Component:
    """The web view component for ``--web`` (imported here: it needs the gateway extra)."""
    from actorkit.observer.web import parse_address, web_view  # noqa: PLC0415 (optional extra)

    host, port = parse_address(address)
    return web_view(host=host, port=port)


def _version() -> str:
    try:
        return importlib.metadata.version("actorkit")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree
        return "unknown"


@attrs.define
class _Outcome:
    """How the run ended: main's result or failure, and the signal that stopped it."""

    result: object = None
    failure: ProcessFailedError | None = None
    signal: int | None = None


def _run(fn: ProcessFn, modules: list[Component], args: argparse.Namespace) -> int:
    try:
        modules = _components(modules, args)
    except (ValueError, ImportError) as exc:  # a bad option, or an extra not installed
        print(f"actorkit: {exc}", file=sys.stderr)
        return 2
    try:
        if args.join:
            return _report(trio.run(_serve_worker, modules, args))
        outcome = trio.run(_serve, fn, modules, args)
    except BootError as exc:
        print(f"actorkit: boot failed: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C before the node was up
        print("actorkit: interrupted", file=sys.stderr)
        return 130
    return _report(outcome)


def _components(modules: list[Component], args: argparse.Namespace) -> list[Component]:
    """The program's components plus what the options add (cluster, observer, web view)."""
    if args.nodes > 1 or args.join:
        if any(comp.name == "cluster" for comp in modules):
            raise ValueError("MODULES already boots a cluster: drop it, or --nodes and --join")
        modules = [*modules, _cluster_component(args)]
    if args.observe is not None:
        modules = [*modules, observer(port=args.observe)]
    if args.web is not None:
        try:
            modules = [*modules, _web_view(args.web)]
        except ValueError as exc:
            raise ValueError(f"--web: {exc}") from None
    return modules


def _report(outcome: _Outcome) -> int:
    """Print main's result (even when a signal stopped the node) or failure; the exit code."""
    if outcome.result is not None:
        print(outcome.result)
    if outcome.signal is not None:
        print(f"actorkit: stopped by {signal.Signals(outcome.signal).name}", file=sys.stderr)
        return 128 + outcome.signal
    if outcome.failure is not None:
        failure = outcome.failure
        message = f"main process {failure.pid} failed: {_describe(failure.error)}"
        print(f"actorkit: {message}", file=sys.stderr)
        return 1
    return 0


async def _serve(fn: ProcessFn, modules: list[Component], args: argparse.Namespace) -> _Outcome:
    """Run main on a node; the first SIGINT or SIGTERM shuts the node down gracefully.

    The receiver is open from the start, so a signal during boot is handled once the
    node is up. Shutdown sends ``Cancel("shutdown")`` to every process (main too), waits up
    to ``--grace`` seconds, cancels what is left, then stops the components in reverse.
    """
    outcome = _Outcome()
    options = ["--log-level", args.log_level, "--grace", str(args.grace)]
    with trio.open_signal_receiver(*STOP_SIGNALS) as signals:
        async with (
            started_workers(args.target, args.nodes, args.cluster, args.redis, options) as workers,
            open_node(modules=modules, name=args.node_name, shutdown_grace=args.grace) as node,
            trio.open_nursery() as nursery,
        ):
            nursery.start_soon(_stop_on_signal, signals, node, outcome)
            if workers:
                await wait_joined(node, args.nodes, workers)
            try:
                # argv's length is known at run time only; load_target checked the signature
                outcome.result = await node.exec(fn, *args.argv)  # pyright: ignore[reportArgumentType]
            except ProcessFailedError as exc:
                outcome.failure = exc
            if outcome.signal is None:
                nursery.cancel_scope.cancel()  # main is done: stop listening
    return outcome


async def _serve_worker(modules: list[Component], args: argparse.Namespace) -> _Outcome:
    """A node of a cluster with no main: serve until SIGINT or SIGTERM, then stop."""
    with trio.open_signal_receiver(*STOP_SIGNALS) as signals:
        async with open_node(modules=modules, name=args.node_name, shutdown_grace=args.grace):
            async for _ in signals:
                break
    return _Outcome()


def _cluster_component(args: argparse.Namespace) -> Component:
    """The cluster module of a ``--nodes`` or ``--join`` node, with the program's tables."""
    if args.nodes > 1 and not args.join:
        args.cluster = cluster_name(args.cluster)
        if args.node_name == "local":
            args.node_name = "n0"
    program = _import_cached(args.target)
    functions: dict[str, Any] = getattr(program, "FUNCTIONS", None) or {}
    virtual: dict[str, Any] = getattr(program, "VIRTUAL", None) or {}
    return cluster_component(args.redis, args.join or args.cluster, functions, virtual)


def _import_cached(target: str) -> Any:
    """The module ``load_target`` imported for ``target``."""
    where = target.partition(":")[0]
    key = Path(where).stem if where.endswith(".py") or "/" in where else where
    return sys.modules[key]


async def _stop_on_signal(signals: AsyncIterator[int], node: Node, outcome: _Outcome) -> None:
    async for signum in signals:
        outcome.signal = signum
        await node.shutdown()
        return


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def load_target(target: str, argv: Sequence[str] = ()) -> tuple[ProcessFn, list[Component]]:
    """Import ``file.py:fn`` or ``pkg.mod:fn`` (``fn`` defaults to ``main``).

    A module name is looked up in the current directory first, as ``python -m`` does. The
    function must be async and take the process plus one argument per ``argv`` item. The
    module may define ``MODULES``, the boot components; otherwise the embedded defaults
    (:func:`actorkit.modules.embedded`) are booted. With ``--nodes`` or ``--join`` it may
    define ``FUNCTIONS`` (process functions other nodes may spawn by name) and ``VIRTUAL``
    (virtual actor kinds) for the cluster module.

    Raises:
        TypeError: the function is not async, or cannot be called with ``(proc, *argv)``.
        ImportError: the file or module cannot be found.
    """
    where, _, attr = target.partition(":")
    name = attr or "main"
    module = _import(where)
    fn = getattr(module, name)
    if not is_process_function(fn):
        raise TypeError(f"{name} is not an async function taking a Process")
    _check_signature(name, fn, argv)
    modules = getattr(module, "MODULES", None)
    if modules is None:
        modules = embedded()
    return cast("ProcessFn", fn), list(modules)


def _check_signature(name: str, fn: Callable[..., object], argv: Sequence[str]) -> None:
    signature = inspect.signature(fn)
    try:
        signature.bind(object(), *argv)
    except TypeError as exc:
        call = ", ".join(["proc", *map(repr, argv)])
        raise TypeError(f"{name}{signature} cannot be called as {name}({call}): {exc}") from None


def _import(where: str) -> Any:
    if where.endswith(".py") or "/" in where:
        path = Path(where).resolve()
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None or not path.exists():
            raise ImportError(f"no such file: {where}")
        if str(path.parent) not in sys.path:
            sys.path.insert(0, str(path.parent))  # like `python file.py`: siblings import
        module = importlib.util.module_from_spec(spec)
        sys.modules[path.stem] = module
        spec.loader.exec_module(module)
        return module
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)  # like `python -m`: the current directory comes first
    return importlib.import_module(where)


def configure_logging(*, json: bool = False, level: str = "info") -> None:
    """Configure structlog for a program: readable lines, or JSON lines with ``json=True``.

    The library never configures logging; the application (here the CLI) does. Logs go to
    stderr, with colours only when stderr is a terminal and ``NO_COLOR`` is not set. Floats
    are rounded (see :func:`round_floats`).

    Raises:
        SystemExit: ``level`` is not a logging level name.
    """
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise SystemExit(f"actorkit: unknown log level {level!r}")
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=_colours(sys.stderr))
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            round_floats,
            structlog.processors.format_exc_info if json else structlog.dev.set_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def _colours(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def round_floats(_logger: object, _method: str, event: EventDict) -> EventDict:
    """A structlog processor: floats to milliseconds (3 decimals), or to 3 significant
    digits below 1, so ``0.1 + 0.2`` logs as ``0.3`` and ``0.000123`` keeps its value."""
    for key, value in event.items():
        if type(value) is float:
            event[key] = round(value, 3) if abs(value) >= 1 else float(f"{value:.3g}")
    return event


if __name__ == "__main__":
    sys.exit(main())
