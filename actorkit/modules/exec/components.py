"""The exec module's boot component: ``exec.module(allow=[...])``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from actorkit.checks import duration
from actorkit.errors import BootError
from actorkit.lowlevel import Boot, Component

from .dispatcher import TABLE
from .state import EXEC
from .table import ExecConfig, ExecTable, resolve_allowed


def module(
    *,
    allow: Iterable[str] = (),
    env: Mapping[str, str] | None = None,
    work_dir: str | os.PathLike[str] | None = None,
    kill_grace: float = 5.0,
) -> Component:
    """The exec module (IDs 150–159), named ``"exec"``; it needs ``stream.module()``.

    Args:
        allow: the executables ``Start`` may run, matched exactly against ``argv[0]``
            (a name is looked up on ``PATH`` at boot, a path is taken as is). Empty by
            default: nothing may run.
        env: the environment every child starts from; ``Start(env=...)`` adds to it.
            Children never inherit the node's environment. Empty by default.
        work_dir: the working directory of children that name none (default: the node's).
        kill_grace: seconds a child has to exit after SIGTERM, when it is stopped or its
            owner exits, before SIGKILL.

    Raises:
        ValueError: an option has the wrong type or value.
    """
    names = tuple(allow)
    if not all(type(n) is str and n for n in names):
        raise ValueError(f"exec.module: allow must hold executable names, got {names!r}")
    duration().option("exec.module", "kill_grace", kill_grace)
    base = dict(env or {})
    cwd = None if work_dir is None else os.fspath(work_dir)

    def load(boot: Boot) -> None:
        if cwd is not None and not os.path.isdir(cwd):
            raise BootError(f"exec.module: work_dir {cwd!r} is not a directory")
        config = ExecConfig(resolve_allowed(names), base, cwd, float(kill_grace))
        boot.register_table(TABLE)
        EXEC.set(boot.node, ExecTable(config))

    async def stop(boot: Boot) -> None:
        found = EXEC.find(boot.node)
        if found is not None:
            await found.release_all()
        EXEC.reset(boot.node)

    return Component("exec", depends_on=("stream",), load=load, stop=stop)
