"""The node's OS processes, who owns them, and how they end.

Each OS process belongs to the actorkit process that started it. A guard runs as
background work of that process (``ctx.start_background``): when the owner exits, by
returning, crashing or being terminated, the guard stops the OS process (SIGTERM, then
SIGKILL after ``kill_grace``) and reaps it, so no child outlives its owner.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
import trio

from actorkit.errors import BootError
from actorkit.modules import stream

from .errors import ExecGoneError, ExecNotAllowedError, ExecOwnerError, ExecStartError
from .handles import ExitStatus, OSProcess

if TYPE_CHECKING:
    from actorkit.lowlevel import HandlerContext

    from .commands import Start

_STDIO = {"pipe": subprocess.PIPE, "null": subprocess.DEVNULL, "inherit": None}


@attrs.frozen
class ExecConfig:
    """The exec module's options (``exec.module(...)``), resolved at boot.

    Attributes:
        allowed: each allowed ``argv[0]`` to the executable file it runs.
        env: the environment every child starts from (the node's is not inherited).
        work_dir: the default working directory (None: the node's).
        kill_grace: seconds between SIGTERM and SIGKILL when a child is stopped.
    """

    allowed: Mapping[str, str]
    env: Mapping[str, str]
    work_dir: str | None
    kill_grace: float


def resolve_allowed(names: tuple[str, ...]) -> dict[str, str]:
    """Each allow-list entry to its executable (a name is looked up on ``PATH`` now).

    Raises:
        BootError: an entry names no executable file.
    """
    allowed: dict[str, str] = {}
    for name in names:
        found = shutil.which(name)
        if found is None:
            raise BootError(f"exec.module: allowed executable {name!r} was not found")
        allowed[name] = os.path.realpath(found)
    return allowed


@attrs.define(eq=False)
class Child:
    """An OS process in the node's table."""

    handle: OSProcess
    process: trio.Process
    guard: trio.CancelScope | None = None


class ExecTable:
    """Running OS processes by ID (the node variable :data:`~.state.EXEC`)."""

    def __init__(self, config: ExecConfig) -> None:
        self.config = config
        self.children: dict[int, Child] = {}
        self._next_id = 0

    async def start(self, ctx: HandlerContext, cmd: Start, what: str) -> OSProcess:
        """Start ``cmd.argv`` for the caller, its pipes attached as streams. A checkpoint.

        Raises:
            ExecNotAllowedError: ``argv[0]`` is not on the allow-list.
            ExecStartError: the OS refused (no such working directory, …).
        """
        executable = self.config.allowed.get(cmd.argv[0])
        if executable is None:
            raise ExecNotAllowedError(cmd.argv[0], command=what)
        process = await self._open(cmd, executable, what)
        # No checkpoint from here on: the child is owned before anything can cancel us.
        self._next_id += 1
        name = cmd.argv[0]
        handle = OSProcess(
            self._next_id,
            ctx.pid,
            process.pid,
            name,
            _attach(ctx, process.stdin, f"stdin of {name}"),
            _attach(ctx, process.stdout, f"stdout of {name}"),
            _attach(ctx, process.stderr, f"stderr of {name}"),
        )
        child = Child(handle, process)
        self.children[handle.id] = child
        child.guard = ctx.start_background(self._guard, child)
        return handle

    async def _open(self, cmd: Start, executable: str, what: str) -> trio.Process:
        env = {**self.config.env, **(cmd.env or {})}
        cwd = cmd.cwd if cmd.cwd is not None else self.config.work_dir
        try:
            return await trio.lowlevel.open_process(
                list(cmd.argv),
                executable=executable,
                env=env,
                cwd=cwd,
                stdin=_STDIO[cmd.stdin],
                stdout=_STDIO[cmd.stdout],
                stderr=_STDIO[cmd.stderr],
            )
        except OSError as exc:
            detail = f"cannot start {cmd.argv[0]!r}: {exc.strerror or exc}"
            raise ExecStartError(detail, command=what) from exc

    def get(self, ctx: HandlerContext, handle: OSProcess, what: str) -> Child:
        """The caller's OS process.

        Raises:
            ExecGoneError: it is no longer known (its owner exited and it was stopped).
            ExecOwnerError: another process owns it.
        """
        child = self.children.get(handle.id)
        if child is None or child.handle != handle:
            detail = f"{handle.describe()} is not running on this node (released with its owner)"
            raise ExecGoneError(detail, command=what)
        if handle.owner != ctx.pid:
            detail = f"{handle.describe()} belongs to process {handle.owner}, not {ctx.pid}"
            raise ExecOwnerError(detail, command=what)
        return child

    async def stop(self, child: Child, grace: float | None) -> ExitStatus:
        """SIGTERM, SIGKILL after ``grace`` seconds, reap; the exit status. A checkpoint."""
        process = child.process
        if process.returncode is None:
            process.terminate()
            limit = self.config.kill_grace if grace is None else grace
            with trio.move_on_after(limit if math.isfinite(limit) else math.inf):
                await process.wait()
            if process.returncode is None:
                process.kill()
        return ExitStatus(await process.wait())

    async def _guard(self, child: Child) -> None:
        try:
            await trio.sleep_forever()
        finally:
            with trio.CancelScope(shield=True):
                await self.release(child)

    async def release(self, child: Child) -> None:
        """Stop and reap ``child`` and forget it (its owner exited). A checkpoint."""
        try:
            await self.stop(child, None)
        finally:
            self.children.pop(child.handle.id, None)

    async def release_all(self) -> None:
        """Stop every child still running (the node stopping). A checkpoint."""
        async with trio.open_nursery() as nursery:
            for child in list(self.children.values()):
                if child.guard is not None:
                    child.guard.cancel()
                nursery.start_soon(self.release, child)


def _attach(
    ctx: HandlerContext,
    pipe: trio.abc.SendStream | trio.abc.ReceiveStream | None,
    name: str,
) -> stream.StreamHandle | None:
    return None if pipe is None else stream.attach(ctx, pipe, name=name, kind="pipe")
