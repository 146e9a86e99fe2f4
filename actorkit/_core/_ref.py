"""The narrow handle a module gets for another process: who it is, whether it lives, and
how to put an event in its mailbox. The runtime's process record satisfies it; modules see
nothing more of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ._events import Event
    from ._pid import PID


class ProcessRef(Protocol):
    """Another process as a module sees it (hashable: key per-process state by it)."""

    @property
    def pid(self) -> PID:
        """Its PID."""
        ...

    @property
    def name(self) -> str | None:
        """Its registered name, if any."""
        ...

    @property
    def function(self) -> str:
        """The qualified name of its process function."""
        ...

    @property
    def trap_links(self) -> bool:
        """True if a linked process's failure reaches it as ``LinkDown`` instead of ending it."""
        ...

    @property
    def alive(self) -> bool:
        """False once it has exited."""
        ...

    @property
    def exit_result(self) -> object:
        """What its function returned, once it has exited normally."""
        ...

    @property
    def exit_error(self) -> BaseException | None:
        """What it exited with, once it has exited (None: normally)."""
        ...

    def signal_exit(self, error: BaseException) -> None:
        """Stop it from outside with ``error`` as its exit reason (``TerminatedError`` …)."""
        ...

    async def wait_exit(self) -> None:
        """Block until it has exited. A checkpoint."""
        ...

    def post(self, event: Event) -> None:
        """Queue a lifecycle-like event past the mailbox bound (completions, Exit …).
        Dropped silently once the process has exited."""
        ...

    def offer(self, event: Event) -> bool:
        """Queue a bounded event (a message) if there is room; False if full or exited."""
        ...

    async def deliver(self, event: Event) -> bool:
        """Queue a bounded event, waiting for room; False if the process exits first.

        A checkpoint only when it has to wait."""
        ...

    def is_pending(self, tag: int) -> bool:
        """True while its call ``tag`` waits for a completion."""
        ...

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        """Deliver the result of its call ``tag`` (a late or repeated one is dropped)."""
        ...
