"""What a process holds: an :class:`OSProcess` (plain data) and, once it ended, an
:class:`ExitStatus`."""

from __future__ import annotations

import attrs

from actorkit import PID
from actorkit.modules.stream import StreamHandle


@attrs.frozen
class OSProcess:
    """An OS process started by ``Start`` and owned by process ``owner``.

    Attributes:
        id: its number on the node (never reused while the node runs).
        owner: the actorkit process that may wait for, signal and stop it; the OS process
            is stopped (SIGTERM, then SIGKILL after the grace period) when the owner exits.
        os_pid: the operating system's process ID.
        executable: ``argv[0]`` as given to ``Start``.
        stdin: a writable stream to its standard input, if ``stdin="pipe"``.
        stdout: a readable stream of its standard output, if ``stdout="pipe"``.
        stderr: a readable stream of its standard error, if ``stderr="pipe"``.
    """

    id: int
    owner: PID
    os_pid: int
    executable: str
    stdin: StreamHandle | None
    stdout: StreamHandle | None
    stderr: StreamHandle | None

    def describe(self) -> str:
        """``OS process 3 (pid 4242, 'cat')``: how errors name it."""
        return f"OS process {self.id} (pid {self.os_pid}, {self.executable!r})"


@attrs.frozen
class ExitStatus:
    """How an OS process ended.

    Attributes:
        returncode: as :attr:`subprocess.Popen.returncode`: the exit code, or ``-N`` when
            signal ``N`` ended it.
    """

    returncode: int

    @property
    def ok(self) -> bool:
        """It exited with code 0."""
        return self.returncode == 0

    @property
    def signal(self) -> int | None:
        """The signal that ended it, if one did."""
        return -self.returncode if self.returncode < 0 else None
