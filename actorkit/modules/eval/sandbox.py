"""One program's Lua state: a fresh ``LuaRuntime`` per program, sandboxed and limited.

The runtime is made with ``register_eval=False``, ``register_builtins=False``,
``unpack_returned_tuples=False``, ``encoding=None`` (strings cross as bytes; the mapping in
:mod:`.values` decodes them), an ``attribute_filter`` that refuses every Python attribute,
and ``max_memory``. The prelude (:mod:`.prelude`) then installs a count hook on every
thread (the instruction and wall-clock limits), builds the environment from the allowed
libraries and removes everything privileged before any of the program's code runs.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable
from typing import Any, NoReturn

from . import _lupa as lupa
from .errors import (
    EvalCompileError,
    EvalError,
    EvalInstructionError,
    EvalLimitError,
    EvalMemoryError,
    EvalRuntimeError,
    EvalTimeoutError,
)
from .options import HOOK_EVERY, Options
from .prelude import PRELUDE
from .values import error_message, to_lua, to_python

LIMITS: dict[str, type[EvalLimitError]] = {
    "memory": EvalMemoryError,
    "instructions": EvalInstructionError,
    "timeout": EvalTimeoutError,
}


@functools.cache
def _prelude() -> bytes:
    """The prelude as Lua bytecode, made once by a separate runtime: loading bytecode
    halves the cost of a fresh sandbox (programs themselves may load text only)."""
    helper = lupa.LuaRuntime(encoding=None)
    chunk = helper.compile(PRELUDE.encode(), name="=sandbox")
    code: bytes = helper.eval(b"string.dump")(chunk)
    return code


def _closed(*args: object) -> NoReturn:
    raise EvalError("the Lua state of this program is closed")


def _deny(obj: object, name: object, is_setting: bool) -> NoReturn:
    raise AttributeError(f"Lua code may not touch Python attributes ({name!r})")


class Sandbox:
    """A fresh, sandboxed Lua state for one program. Not thread-safe; one owner."""

    runtime: Any
    _load: Callable[..., Any]
    _limits: Callable[..., Any]
    run_fn: Callable[..., Any]
    thread: Callable[..., Any]
    step: Callable[..., Any]
    _collect: Callable[[], None]

    def __init__(self, options: Options, api: tuple[str, ...] = ()) -> None:
        self.options = options
        self.runtime = lupa.LuaRuntime(
            register_eval=False,
            register_builtins=False,
            unpack_returned_tuples=False,
            encoding=None,
            attribute_filter=_deny,
            max_memory=options.max_memory,
        )
        try:
            self.runtime.set_max_memory(0)  # the prelude's own memory is not the program's
            libs = self.runtime.table_from({name.encode(): True for name in options.libraries})
            names = self.runtime.table_from([name.encode() for name in api])
            host = self.runtime.execute(
                _prelude(), time.monotonic, HOOK_EVERY, libs, names, mode="b"
            )
            self._load, self._limits = host[b"load"], host[b"limits"]
            self.run_fn, self.thread, self.step = host[b"run"], host[b"thread"], host[b"step"]
            self._collect = host[b"collect"]
        finally:
            self.runtime.set_max_memory(options.max_memory)

    def load(self, source: str, chunk: str) -> Any:
        """The compiled chunk, in the program's environment.

        Raises:
            EvalCompileError: the source does not parse (with its line and message).
        """
        loaded = self._guard(self._load, self._box(source.encode(), chunk.encode()))
        if loaded[0] is None:  # (nil, message)
            raise compile_error(chunk, loaded[1])
        return loaded[0]

    def limit(self, deadline: float = float("inf")) -> None:
        """Start a fresh budget: ``max_instructions`` and ``timeout`` from now (or
        ``deadline``, a ``time.monotonic`` time, if sooner)."""
        until = min(time.monotonic() + self.options.timeout, deadline)
        self._limits(self.options.max_instructions, until)

    def run(
        self,
        fn: Any,
        function: str | None,
        args: tuple[object, ...],
        deadline: float = float("inf"),
    ) -> Any:
        """Call the chunk ``fn`` (or, with ``function``, the chunk then that global function)
        with ``args`` under a fresh budget; its results by the mapping.

        One result is returned as it is; none as None; several as a list.
        """
        box = self._box(False if function is None else function.encode(), *args)
        self.limit(deadline)
        return self.outcome(self._guard(self.run_fn, fn, box))

    def start(self, fn: Any, function: str | None) -> None:
        """Make the process coroutine of the chunk ``fn`` (or of its global ``function``)."""
        self.thread(fn, self._box(False if function is None else function.encode()))

    def resume(self, values: tuple[object, ...]) -> tuple[Any, ...]:
        """Resume the process coroutine with ``values`` (by the mapping) under a fresh budget.

        Returns ``("yield", name, *args)`` (raw Lua values) when it yields a command, or
        ``("ok", result)`` when it has returned; raises its error if it failed.
        """
        self.limit()
        returned = self._guard(self.step, self._box(*values))
        if returned[0] == b"yield":
            return ("yield", *returned[1:])
        return ("ok", self.outcome(returned))

    def _box(self, *values: object) -> Any:
        """``values`` (by the mapping) in one Lua table for a host function.

        lupa creates Lua values from Python outside any protected call, where running out
        of memory would abort the whole process; so the table is built with the limit
        lifted, and refused afterwards if it took the state over its limit.
        """
        runtime = self.runtime
        runtime.set_max_memory(0)
        try:
            box = runtime.table_from({b"n": len(values)})
            for index, value in enumerate(values, 1):
                if value is not None:
                    box[index] = to_lua(runtime, value)
            if runtime.get_memory_used() > self.options.max_memory:
                self._collect()  # garbage counts too: collect it before refusing, as Lua does
        finally:
            runtime.set_max_memory(self.options.max_memory)
        if runtime.get_memory_used() > self.options.max_memory:
            raise EvalMemoryError(self._limit_text("memory"))
        return box

    def _guard(self, fn: Any, *args: Any) -> tuple[Any, ...]:
        try:
            outcome = fn(*args)
        except lupa.LuaMemoryError as exc:
            raise EvalMemoryError(self._limit_text("memory")) from exc
        except lupa.LuaError as exc:
            raise EvalRuntimeError(str(exc)) from exc
        return outcome if isinstance(outcome, tuple) else (outcome,)  # pyright: ignore[reportUnknownVariableType]

    def outcome(self, returned: tuple[Any, ...]) -> Any:
        """The mapped results of a finished run; raises its error if it failed."""
        if returned[0] == b"error":
            self.fail(returned[1], returned[2])
        values = [to_python(v, self.options.strings) for v in returned[1:]]
        return values[0] if len(values) == 1 else (values or None)

    def fail(self, limit: bytes | None, error: object) -> NoReturn:
        """Raise the error a failed run ends with."""
        if limit is not None:
            name = limit.decode()
            raise LIMITS[name](self._limit_text(name))
        message, value = error_message(error, self.options.strings)
        raise EvalRuntimeError(message, value)

    def _limit_text(self, name: str) -> str:
        o = self.options
        detail = {
            "memory": f"max_memory={o.max_memory} bytes",
            "instructions": f"max_instructions={o.max_instructions}",
            "timeout": f"timeout={o.timeout}s (or the caller's deadline)",
        }[name]
        return f"the Lua program was stopped: it went over its {name} limit ({detail})"

    def close(self) -> None:
        """Drop the Lua state (its memory is freed now, not at the next collection)."""
        self._load = self._limits = self.run_fn = self.thread = self.step = _closed
        self._collect = _closed
        self.runtime = None


_COMPILE = re.compile(r"^(?P<chunk>.*?):(?P<line>\d+): (?P<message>.*)$", re.S)


def compile_error(chunk: str, error: Any) -> EvalError:
    """An EvalCompileError from Lua's ``chunk:line: message``."""
    text = error.decode(errors="replace") if isinstance(error, bytes) else str(error)
    found = _COMPILE.match(text)
    if found is None:
        return EvalCompileError(chunk, None, text)
    return EvalCompileError(chunk, int(found["line"]), found["message"])
