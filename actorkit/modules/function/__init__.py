"""The function module (IDs 140–149): named Python functions that processes call as commands.

Register functions at boot, call them by name::

    node_modules = [function.module({"add": add}, function.Function("hash", sha, cpu=True))]
    total = await proc.call(function.Call("add", (1, 2)))

``async def`` functions are awaited under the caller's cancel scope; sync functions run in
a thread (``cheap=True``: directly in the handler; ``cpu=True``: in a trio-parallel worker
process). A :class:`RetryPolicy` retries failures on the Trio clock.
"""

from __future__ import annotations

from actorkit.lowlevel import Boot, Component, NodeVar

from .commands import AsyncCancel, AsyncStart, Call, FunctionResult
from .dispatcher import register_all
from .errors import FunctionArgumentError, UnknownFunctionError
from .retry import NO_RETRY, RetryOn, RetryPolicy
from .spec import Function, Registrable, collect
from .table import FunctionTable

TABLE = NodeVar[FunctionTable]("function")
"""The node's :class:`FunctionTable`."""


def module(
    *functions: Registrable,
    retry: RetryPolicy | None = None,
    workers: int | None = None,
    threads: int = 16,
) -> Component:
    """The function module's boot component (one per node).

    Args:
        *functions: mappings ``{name: fn}`` and :class:`Function` objects, in any mix.
        retry: the policy of every function that has none of its own (default: no retries).
        workers: at most this many ``cpu=True`` functions run at once, each in its own
            worker process (default: the number of CPUs).
        threads: at most this many sync functions run at once in threads.

    Booting fails (``BootError``) on a duplicate or empty name, something that is not a
    function, options that do not fit the function, or a ``cpu=True`` function that a
    worker process could not import by name.
    """

    def load(boot: Boot) -> None:
        specs = collect(functions)
        table = FunctionTable(specs, retry=retry or NO_RETRY, workers=workers, threads=threads)
        TABLE.set(boot.node, table)
        register_all(boot.register, table)

    async def start(boot: Boot) -> None:
        await _table(boot).open()

    async def stop(boot: Boot) -> None:
        await _table(boot).close()

    return Component("function", load=load, start=start, stop=stop)


def _table(boot: Boot) -> FunctionTable:
    return TABLE.get(boot.node)


__all__ = [
    "AsyncCancel",
    "AsyncStart",
    "Call",
    "Function",
    "FunctionArgumentError",
    "FunctionResult",
    "RetryOn",
    "RetryPolicy",
    "UnknownFunctionError",
    "module",
]
