"""The user's node: the kernel's :class:`Runtime` with the doors in from outside."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar, TypeVarTuple, Unpack

import trio

from .._core._command import module_of
from .._core._events import Cancel, Exit, Message
from .._core._mailbox import WAKE_ON_COMPLETION, WAKE_ON_EVENT
from .._core._node import Runtime
from .._core._pid import PID
from .._core._proc_state import ProcessState
from .._stats import NodeStatistics, Sampler
from ..errors import NoProcessError, ProcessFailedError, TerminatedError
from ._context import HandlerContext
from ._fake import Fake, FakeFn, install
from ._process import Process, handle_of
from ._process_commands import Send

Ts = TypeVarTuple("Ts")
C = TypeVar("C")
# What statistics call a process parked in its mailbox, by how it waits.
PARKED_AS = {WAKE_ON_EVENT: "receiving", WAKE_ON_COMPLETION: "waiting"}


class Node(Runtime):
    """One actorkit node: a Trio program's processes, names and command registry.

    Made by :func:`open_node` or :func:`run`; code outside any process uses it to spawn,
    send, wait for exits, or borrow a process handle with :meth:`process`.
    """

    _sampler: Sampler | None = None  # made by the first statistics() call

    def new_handle(self, proc: ProcessState) -> Process:
        return Process(proc, self)

    def new_context(self, proc: ProcessState) -> HandlerContext:
        return HandlerContext(proc, self)

    # -- spawning ---------------------------------------------------------------------------

    def spawn(
        self,
        fn: Callable[[Process, Unpack[Ts]], Awaitable[object]],
        *args: *Ts,
        name: str | None = None,
        mailbox_size: int | None = None,
        trap_links: bool = False,
    ) -> PID:
        """Start a process from outside any process. Not a checkpoint.

        Raises:
            NotAProcessFunctionError: ``fn`` is not an async function.
            NameTakenError: ``name`` is registered to another process.
        """
        return self.spawn_child(
            fn, args, name=name, mailbox_size=mailbox_size, trap_links=trap_links
        ).pid

    async def exec(self, fn: Callable[[Process, Unpack[Ts]], Awaitable[object]], *args: *Ts) -> Any:
        """Spawn ``fn(process, *args)``, wait for it and return its result.

        Raises:
            ProcessFailedError: it exited with an error (the error is the ``__cause__``).
        """
        proc = self.spawn_child(fn, args)
        try:
            await proc.wait_exit()
        finally:
            proc.signal_exit(TerminatedError("caller cancelled"))
        if proc.exit_error is not None:
            raise ProcessFailedError(proc.pid, proc.exit_error) from proc.exit_error
        return proc.exit_result

    @asynccontextmanager
    async def process(
        self, *, name: str | None = None, trap_links: bool = True
    ) -> AsyncGenerator[Process, None]:
        """Borrow a process handle for code outside any process (a test, a Trio program).

        It has a PID and an inbox, can send, receive and call commands, and exits normally
        when the block ends (or with the block's exception).
        """
        async with self.borrow(name=name, trap_links=trap_links) as proc:
            yield handle_of(proc)

    # -- talking from outside ----------------------------------------------------------------

    async def send(self, dest: PID | str, topic: str, payload: object = None) -> None:
        """Send a message (sender None) from outside; waits while the mailbox is full.

        A checkpoint. Raises ``NoProcessError`` for a dead or unknown receiver.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        Send(dest, topic, payload)  # check the fields as a process's send does
        proc = self.resolve(dest)
        if proc is None or not await proc.mailbox.put(Message(topic, payload, None)):
            raise self.dead_letter(dest, topic)
        self.messages += 1
        await trio.lowlevel.cancel_shielded_checkpoint()

    def send_nowait(self, dest: PID | str, topic: str, payload: object = None) -> None:
        """Send without waiting; ``trio.WouldBlock`` when the mailbox is full."""
        Send(dest, topic, payload)  # check the fields as a process's send does
        proc = self.resolve(dest)
        if proc is None or not proc.alive:
            raise self.dead_letter(dest, topic)
        if not proc.mailbox.put_nowait(Message(topic, payload, None)):
            raise trio.WouldBlock(f"mailbox of {proc.pid} is full")
        self.messages += 1

    def cancel(self, dest: PID | str, reason: str = "cancelled") -> None:
        """Send a cooperative ``Cancel`` event to a process."""
        proc = self.resolve(dest)
        if proc is None:
            raise NoProcessError(dest, "cannot cancel")
        proc.deliver_priority(Cancel(reason))

    async def wait(self, pid: PID | str) -> Exit:
        """Wait for a process to exit and return its ``Exit``.

        The exits of the last 1024 processes are remembered, so waiting just after a
        process ended still gives its result; an older or unknown one gives ``noproc``.

        A checkpoint; cancelling it stops only the waiting.
        """
        proc = self.resolve(pid)
        if proc is None:
            await trio.lowlevel.checkpoint()
            recent = self.recent_exit(pid)
            if recent is not None:
                return recent
            target = pid if isinstance(pid, PID) else PID(self.name, 0)
            return Exit(target, None, NoProcessError(pid), "noproc")
        await proc.wait_exit()
        return Exit(proc.pid, proc.exit_result, proc.exit_error, proc.exit_reason)

    # -- tests and statistics -------------------------------------------------------------

    def fake(self, command: type[C], fn: FakeFn[C]) -> Fake[C]:
        """Script the result of every ``command``: ``fn(cmd)`` returns it (or raises).

        ``fn`` may be async. Works after boot; meant for tests. Returns a record whose
        ``calls`` lists the commands seen.
        """
        return install(self.registry, command, fn)

    def statistics(self) -> NodeStatistics:
        """A snapshot of the node: counters, rates since the previous call, every process."""
        if self._sampler is None:
            self._sampler = Sampler(module_of, PARKED_AS)
        return self._sampler.sample(self)
