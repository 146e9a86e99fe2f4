"""The eval module (IDs 170–179): sandboxed Lua programs and Lua processes, on lupa.

Compile a program, run it, or start it as a process whose coroutine yields commands::

    program = await proc.call(eval.Compile(SOURCE, options=eval.Options(allow={clock.Sleep})))
    total = await proc.call(eval.Run(program, function="add", args=(1, 2)))
    pid = await proc.call(eval.CreateProcess(program, function="main", link=True))

Each run and each process gets a fresh Lua state with no ``os``, ``io``, ``require``,
``load``, ``debug`` or Python objects, the Lua libraries its :class:`Options` allow, and
memory, instruction and wall-clock limits. Values cross by one mapping
(:mod:`actorkit.modules.eval.values`).
"""

from __future__ import annotations

from actorkit.lowlevel import Component, handlers

from .api import COMMANDS, LOCAL
from .commands import Compile, CreateProcess, Run
from .dispatcher import TABLE
from .errors import (
    EvalArgumentError,
    EvalCompileError,
    EvalError,
    EvalInstructionError,
    EvalLimitError,
    EvalMemoryError,
    EvalPermissionError,
    EvalRuntimeError,
    EvalTimeoutError,
    EvalValueError,
)
from .options import LIBRARIES, Options
from .process import lua_process
from .program import Program, compile_program

_MODULE = handlers("eval", TABLE)


def module() -> Component:
    """The eval module's boot component (its handler table; no state, no service)."""
    return _MODULE


__all__ = [
    "COMMANDS",
    "LIBRARIES",
    "LOCAL",
    "Compile",
    "CreateProcess",
    "EvalArgumentError",
    "EvalCompileError",
    "EvalError",
    "EvalInstructionError",
    "EvalLimitError",
    "EvalMemoryError",
    "EvalPermissionError",
    "EvalRuntimeError",
    "EvalTimeoutError",
    "EvalValueError",
    "Options",
    "Program",
    "Run",
    "compile_program",
    "lua_process",
    "module",
]
