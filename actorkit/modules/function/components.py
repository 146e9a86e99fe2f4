"""The function module's boot component: the node's function table and its handlers."""

from __future__ import annotations

from actorkit.lowlevel import Boot, Component

from .dispatcher import table as handler_table
from .retry import NO_RETRY, RetryPolicy
from .spec import Registrable, collect
from .state import TABLE
from .table import FunctionTable


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
        boot.register_table(handler_table(table))

    async def start(boot: Boot) -> None:
        await _table(boot).open()

    async def stop(boot: Boot) -> None:
        await _table(boot).close()

    return Component("function", load=load, start=start, stop=stop)


def _table(boot: Boot) -> FunctionTable:
    return TABLE.get(boot.node)
