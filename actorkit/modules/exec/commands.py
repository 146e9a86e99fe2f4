"""Exec commands (IDs 150–159; ProcessWait 150 as in Wippy) and their results.

Fields are checked when the command is built: a wrong one raises
:class:`~.errors.ExecArgumentError` naming the command, its ID and the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from actorkit.lowlevel import Command, command, declare_range

from .checks import ARGV, CWD, ENV, GRACE, PROCESS, SIGNUM, STD, as_tuple
from .handles import ExitStatus, OSProcess

declare_range("exec", 150, 159)


@command(id=150, module="exec")
class ProcessWait(Command[ExitStatus]):
    """Wait for the OS process to exit; its :class:`~.handles.ExitStatus`.

    Cancelling the wait (a ``timeout``) leaves the OS process running, still owned.
    """

    process: OSProcess = attrs.field(validator=PROCESS)


@command(id=151, module="exec")
class Start(Command[OSProcess]):
    """Start ``argv`` (``argv[0]`` must be on the node's allow-list) as an OS process.

    ``env`` is added to the node's ``env`` option: the child does not inherit the node's
    environment. ``cwd`` defaults to the node's ``work_dir``. ``stdin``, ``stdout`` and
    ``stderr`` are ``"pipe"`` (a stream handle owned by the caller), ``"null"`` or
    ``"inherit"`` (the node's own).
    """

    argv: Sequence[str] = attrs.field(converter=as_tuple, validator=ARGV)
    env: Mapping[str, str] | None = attrs.field(default=None, kw_only=True, validator=ENV)
    cwd: str | None = attrs.field(default=None, kw_only=True, validator=CWD)
    stdin: str = attrs.field(default="pipe", kw_only=True, validator=STD)
    stdout: str = attrs.field(default="pipe", kw_only=True, validator=STD)
    stderr: str = attrs.field(default="pipe", kw_only=True, validator=STD)


@command(id=152, module="exec")
class Signal(Command[bool]):
    """Send ``signum`` to the OS process; False if it had already exited."""

    process: OSProcess = attrs.field(validator=PROCESS)
    signum: int = attrs.field(validator=SIGNUM)


@command(id=153, module="exec")
class Stop(Command[ExitStatus]):
    """SIGTERM, then SIGKILL if it has not exited after ``grace`` seconds (the node's
    ``kill_grace`` when None); its exit status."""

    process: OSProcess = attrs.field(validator=PROCESS)
    grace: float | None = attrs.field(default=None, kw_only=True, validator=GRACE)
