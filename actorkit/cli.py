"""The command line: ``actorkit run path/to/file.py:main`` or ``actorkit run pkg.mod:main``."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, cast

import structlog

from actorkit import Component, Process, observer, run
from actorkit.errors import BootError, ProcessFailedError
from actorkit.lowlevel import is_process_function
from actorkit.modules import embedded
from actorkit.observer.top import watch

ProcessFn = Callable[[Process], Awaitable[object]]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``actorkit`` command; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "top":
        return watch(args.host, args.port, once=args.once)
    configure_logging(json=args.json, level=args.log_level)
    try:
        fn, modules = load_target(args.target)
    except Exception as exc:  # a target that cannot load is a usage error, whatever it raised
        print(f"actorkit: cannot load {args.target!r}: {_describe(exc)}", file=sys.stderr)
        return 2
    return _run(fn, modules, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="actorkit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_cmd = commands.add_parser("run", help="run a process program on a node")
    run_cmd.add_argument("target", help="file.py:function or package.module:function")
    run_cmd.add_argument("--json", action="store_true", help="log JSON lines")
    run_cmd.add_argument("--log-level", default="info", help="debug, info, warning, error")
    run_cmd.add_argument("--node-name", default="local", help="the node's name in PIDs")
    run_cmd.add_argument("--grace", type=float, default=10.0, help="shutdown grace, seconds")
    run_cmd.add_argument("--observe", type=int, metavar="PORT", help="serve statistics for top")
    top_cmd = commands.add_parser("top", help="watch a running node's processes live")
    top_cmd.add_argument("--port", type=int, required=True, help="the node's --observe port")
    top_cmd.add_argument("--host", default="127.0.0.1")
    top_cmd.add_argument("--once", action="store_true", help="print one frame and exit")
    return parser


def _run(fn: ProcessFn, modules: list[Component], args: argparse.Namespace) -> int:
    if args.observe is not None:
        modules = [*modules, observer(port=args.observe)]
    try:
        result = run(fn, modules=modules, name=args.node_name, shutdown_grace=args.grace)
    except ProcessFailedError as exc:
        print(f"actorkit: main process {exc.pid} failed: {_describe(exc.error)}", file=sys.stderr)
        return 1
    except BootError as exc:
        print(f"actorkit: boot failed: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("actorkit: interrupted", file=sys.stderr)
        return 130
    if result is not None:
        print(result)
    return 0


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def load_target(target: str) -> tuple[ProcessFn, list[Component]]:
    """Import ``file.py:fn`` or ``pkg.mod:fn``; the module may define ``MODULES``."""
    where, _, attr = target.partition(":")
    module = _import(where)
    fn = getattr(module, attr or "main")
    if not is_process_function(fn):
        raise TypeError(f"{attr or 'main'} is not an async function taking a Process")
    modules = getattr(module, "MODULES", None)
    if modules is None:
        modules = embedded()
    return cast("ProcessFn", fn), list(modules)


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
    return importlib.import_module(where)


def configure_logging(*, json: bool = False, level: str = "info") -> None:
    """Readable logs by default, JSON lines on request (the CLI decides, not the library)."""
    numeric = logging.getLevelNamesMapping().get(level.upper())
    if numeric is None:
        raise SystemExit(f"actorkit: unknown log level {level!r}")
    renderer: Any = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso"),
            structlog.processors.format_exc_info if json else structlog.dev.set_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


if __name__ == "__main__":
    sys.exit(main())
