"""The stream module's boot component: ``stream.module(allow_dirs=[...])``."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from actorkit.errors import BootError
from actorkit.lowlevel import Boot, Component

from .dispatcher import TABLE
from .state import STREAMS
from .table import StreamConfig, StreamTable


def module(*, allow_dirs: Iterable[str | os.PathLike[str]] = ()) -> Component:
    """The stream module (IDs 50–59), named ``"stream"``.

    Other modules that hand out streams (exec, http, …) need it booted too.

    Args:
        allow_dirs: the directories ``Open`` may open files in (and below). None by
            default: ``Open`` refuses every path. Each must exist when the node boots.

    Raises:
        TypeError: ``allow_dirs`` holds something other than paths.
    """
    dirs = tuple(allow_dirs)
    for entry in dirs:
        if not isinstance(entry, str | os.PathLike):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(f"stream.module: allow_dirs must hold paths, got {entry!r}")

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)
        STREAMS.set(boot.node, StreamTable(StreamConfig(_resolve(dirs))))

    async def stop(boot: Boot) -> None:
        table = STREAMS.find(boot.node)
        if table is not None:
            await table.close_all("the node stopped")
        STREAMS.reset(boot.node)

    return Component("stream", load=load, stop=stop)


def _resolve(dirs: tuple[str | os.PathLike[str], ...]) -> tuple[Path, ...]:
    resolved = tuple(Path(os.path.realpath(d)) for d in dirs)
    for given, real in zip(dirs, resolved, strict=True):
        if not real.is_dir():
            raise BootError(
                f"stream.module: allow_dirs entry {os.fspath(given)!r} is not a directory"
            )
    return resolved
