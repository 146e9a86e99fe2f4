"""What a user registers: named functions with options, checked when the node boots."""

from __future__ import annotations

import inspect
import pickle
from collections.abc import Callable, Iterable, Mapping
from typing import Literal

import attrs

from .retry import RetryPolicy

Kind = Literal["async", "inline", "thread", "process"]
"""How a function runs: awaited in the dispatcher, called in the handler (``cheap``), in a
thread, or in a trio-parallel worker process (``cpu``)."""


@attrs.frozen
class Function:
    """A function to register under ``name``, with its options.

    Attributes:
        name: what ``Call`` / ``AsyncStart`` ask for.
        fn: an ``async def`` function, or a plain (sync) one.
        retry: its retry policy; None takes the module's ``retry=``.
        cpu: run a sync function in a worker process (trio-parallel); it must be a
            picklable module-level function, and so must its arguments and result.
        cheap: call a sync function directly in the handler, without a thread; for
            functions that return in microseconds and never block.
    """

    name: str
    fn: Callable[..., object]
    retry: RetryPolicy | None = attrs.field(default=None, kw_only=True)
    cpu: bool = attrs.field(default=False, kw_only=True)
    cheap: bool = attrs.field(default=False, kw_only=True)


Registrable = Mapping[str, Callable[..., object]] | Function


def collect(functions: Iterable[Registrable]) -> list[Function]:
    """Flatten mappings and ``Function`` objects into one list; names must be unique."""
    specs: list[Function] = []
    for item in functions:
        if isinstance(item, Function):
            specs.append(item)
        elif isinstance(item, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]
            specs.extend(Function(name, fn) for name, fn in item.items())
        else:
            raise TypeError(f"function.module() takes mappings and Function objects, got {item!r}")
    seen: set[str] = set()
    for spec in specs:
        if spec.name in seen:
            raise ValueError(f"two functions are named {spec.name!r}")
        seen.add(spec.name)
    return specs


def kind_of(spec: Function) -> Kind:
    """Check ``spec`` and say how its function runs.

    Raises:
        TypeError: not a usable function, or options that do not fit it.
        ValueError: an empty name.
    """
    if not isinstance(spec.name, str) or not spec.name:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"a function name must be a non-empty string, got {spec.name!r}")
    fn = spec.fn
    what = f"function {spec.name!r}"
    if not callable(fn):
        raise TypeError(f"{what}: {fn!r} is not callable")
    if inspect.isasyncgenfunction(fn) or inspect.isgeneratorfunction(fn):
        raise TypeError(f"{what}: {fn!r} is a generator function; register a plain function")
    if _is_async(fn):
        if spec.cpu or spec.cheap:
            raise TypeError(f"{what} is async; cpu=True and cheap=True apply to sync functions")
        return "async"
    if spec.cpu and spec.cheap:
        raise TypeError(f"{what}: cpu=True and cheap=True exclude each other")
    if spec.cpu:
        _check_picklable(what, fn)
        return "process"
    return "inline" if spec.cheap else "thread"


def _is_async(fn: Callable[..., object]) -> bool:
    if inspect.iscoroutinefunction(fn):
        return True
    call = getattr(fn, "__call__", None)  # noqa: B004 (an object with an async __call__)
    return inspect.iscoroutinefunction(call)


def _check_picklable(what: str, fn: Callable[..., object]) -> None:
    try:
        pickle.dumps(fn)
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise TypeError(
            f"{what} (cpu=True) must be a picklable module-level function, so that a worker "
            f"process can import it; {fn!r} is not: {exc}"
        ) from exc
