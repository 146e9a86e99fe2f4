"""Open (58): files under the directories the node allows, and nowhere else.

The path is resolved (symlinks and ``..`` followed) before the check, so a link inside an
allowed directory cannot lead out of it. A relative path is taken relative to the first
allowed directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

import trio

from .backends.file import FileBackend
from .errors import StreamPathError
from .table import StreamConfig


async def open_file(config: StreamConfig, path: str, mode: str, what: str) -> FileBackend:
    """The opened file as a backend. A checkpoint (the open runs in a thread).

    Raises:
        StreamPathError: no directory is allowed, the path lies outside them, or the
            file system refused (missing file, a directory, no permission …).
    """
    if not config.allow_dirs:
        detail = (
            f"cannot open {path!r}: no directory is allowed "
            "(give stream.module(allow_dirs=[...]) the directories processes may open)"
        )
        raise StreamPathError(detail, command=what)
    file = await trio.to_thread.run_sync(_open, config.allow_dirs, path, mode, what)
    return FileBackend(file)


def _open(allowed: tuple[Path, ...], path: str, mode: str, what: str) -> IO[bytes]:
    real = Path(os.path.realpath(allowed[0] / path))
    if not any(real == root or real.is_relative_to(root) for root in allowed):
        roots = ", ".join(repr(str(root)) for root in allowed)
        detail = f"{path!r} is outside the allowed directories ({roots})"
        raise StreamPathError(detail, command=what)
    try:
        return open(real, mode.replace("+", "") + "b" + ("+" if "+" in mode else ""))
    except OSError as exc:
        detail = f"cannot open {path!r}: {exc.strerror or exc}"
        raise StreamPathError(detail, command=what) from exc
