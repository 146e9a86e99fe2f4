"""The functions one node has registered, and what they need to run (threads, workers)."""

from __future__ import annotations

import os
from collections.abc import Sequence

import trio

from ._parallel import WorkerPool
from .errors import UnknownFunctionError
from .retry import RetryPolicy
from .runners import Entry, FunctionCommand, describe, make_runner
from .spec import Function, Kind, kind_of


class FunctionTable:
    """Registered functions by name, with the thread limiter and the worker pool they use."""

    def __init__(
        self,
        specs: Sequence[Function],
        *,
        retry: RetryPolicy,
        workers: int | None,
        threads: int,
    ) -> None:
        kinds: dict[str, Kind] = {spec.name: kind_of(spec) for spec in specs}
        self.threads = trio.CapacityLimiter(threads)
        self.pool: WorkerPool | None = None
        if "process" in kinds.values():
            self.pool = WorkerPool(workers or os.cpu_count() or 1)
        self.entries: dict[str, Entry] = {}
        for spec in specs:
            kind = kinds[spec.name]
            runner = make_runner(kind, spec.fn, self.threads, self.pool)
            self.entries[spec.name] = Entry(spec.name, spec.fn, kind, spec.retry or retry, runner)

    def lookup(self, cmd: FunctionCommand) -> Entry:
        """The entry ``cmd`` asks for; ``UnknownFunctionError`` if there is none."""
        entry = self.entries.get(cmd.name)
        if entry is None:
            raise UnknownFunctionError(describe(cmd), cmd.name, list(self.entries))
        return entry

    async def open(self) -> None:
        """Open the worker pool, if any function needs one. A checkpoint."""
        if self.pool is not None:
            await self.pool.open()
        else:
            await trio.lowlevel.checkpoint()

    async def close(self) -> None:
        """Shut the worker pool down, if there is one. A checkpoint."""
        if self.pool is not None:
            await self.pool.close()
        else:
            await trio.lowlevel.checkpoint()
