"""The exec module (IDs 150–159): OS processes started from an allow-list, their standard
streams as stream handles, stopped when the process that started them exits.

::

    child = await proc.call(exec.Start(["cat"]))
    await proc.call(stream.Write(child.stdin, b"hello"))
    await proc.call(stream.Close(child.stdin))
    print(await proc.call(stream.Read(child.stdout)))
    status = await proc.call(exec.ProcessWait(child))

See ``docs/guides/exec.md``.
"""

from __future__ import annotations

from .commands import ProcessWait, Signal, Start, Stop
from .components import module
from .errors import (
    ExecArgumentError,
    ExecError,
    ExecGoneError,
    ExecNotAllowedError,
    ExecOwnerError,
    ExecStartError,
)
from .handles import ExitStatus, OSProcess

__all__ = [
    "ExecArgumentError",
    "ExecError",
    "ExecGoneError",
    "ExecNotAllowedError",
    "ExecOwnerError",
    "ExecStartError",
    "ExitStatus",
    "OSProcess",
    "ProcessWait",
    "Signal",
    "Start",
    "Stop",
    "module",
]
