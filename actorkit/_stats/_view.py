"""What the statistics read of a node and its processes, and nothing more."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class MailboxView(Protocol):
    """A process's mailbox: its depth, its count of events taken, how its owner waits."""

    @property
    def received(self) -> int:
        """Events taken since the process started."""
        ...

    def __len__(self) -> int: ...

    def parked_mode(self) -> int:
        """How the owner is parked (0: not parked); the sampler names the modes."""
        ...


class ProcessView(Protocol):
    """One process as a snapshot shows it."""

    @property
    def pid(self) -> object: ...
    @property
    def name(self) -> str | None: ...
    @property
    def label(self) -> str | None: ...
    @property
    def function(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def mailbox(self) -> MailboxView: ...
    @property
    def current(self) -> object:
        """The command it waits on, or None."""
        ...

    @property
    def parent(self) -> object | None: ...


class NodeView(Protocol):
    """A node's counters since boot and its live processes."""

    @property
    def name(self) -> str: ...
    @property
    def started_at(self) -> float: ...
    @property
    def spawned(self) -> int: ...
    @property
    def commands(self) -> int: ...
    @property
    def messages(self) -> int: ...
    @property
    def dead_letters(self) -> int: ...
    @property
    def event_counts(self) -> Mapping[str, int]: ...
    @property
    def command_counts(self) -> Sequence[int]:
        """Commands run, by system ID (0–255)."""
        ...

    @property
    def custom_counts(self) -> Mapping[int, int]:
        """Commands run, by ID, for IDs of 256 and up."""
        ...

    def processes(self) -> Sequence[ProcessView]: ...
