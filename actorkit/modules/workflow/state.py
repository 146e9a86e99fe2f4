"""Per-node state: the :class:`Engine` (registered workflows and activities, the journal,
the workflows running in this node), and per-process state: the :class:`Run` of a
workflow process (its journal so far and the next position)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs
import trio

from actorkit.lowlevel import NodeVar, ProcessVar

from .errors import WorkflowError

if TYPE_CHECKING:
    from actorkit import PID, Node

    from .journal import Entry, Journal

WorkflowFn = Callable[..., Awaitable[Any]]
ActivityFn = Callable[..., Awaitable[Any]]


@attrs.frozen
class Deadline:
    """When a live wait with a durable timeout gives up (on the engine's clock), and the
    journal entry of that time if it is not journaled yet (the wait writes it first)."""

    at: float
    entry: Entry | None = None


@attrs.define(eq=False)
class Published:
    """A workflow's published state on its way to the workflow's row: the latest journal
    text not yet written. Publishes between two writes coalesce into one write."""

    text: str | None = None
    pending: bool = False
    wake: trio.Event = attrs.field(factory=trio.Event)
    lock: trio.Lock = attrs.field(factory=trio.Lock)  # one write at a time, in order

    def put(self, text: str) -> None:
        """Keep ``text`` as the state to write next and wake the writer."""
        self.text = text
        self.pending = True
        self.wake.set()


@attrs.define(eq=False)
class ReplayOnly:
    """A replay of a saved history with nothing live: past the history's end the run is
    stopped (``scope`` cancelled) instead of running the command."""

    scope: trio.CancelScope
    stopped_at: str | None = None  # the first command past the history
    failure: Exception | None = None  # the first NonDeterminismError or VersionError


@attrs.define(eq=False)
class Run:
    """One run of a workflow in its process: what replay returns, and what is live."""

    workflow_id: str
    run: int
    history: dict[int, Entry]
    position: int = 0
    positions: dict[int, int] = attrs.field(factory=dict[int, int])  # call tag -> journal position
    signatures: dict[int, str] = attrs.field(factory=dict[int, str])  # live position -> its command
    journaled: set[int] = attrs.field(factory=set[int])  # positions a handler journaled itself
    deadlines: dict[int, Deadline] = attrs.field(factory=dict[int, Deadline])  # live position ->
    state: Any = None
    pid: PID | None = None  # the process running it
    published: Published | None = None  # where publish sends the state (None: memory only)
    replay_only: ReplayOnly | None = None  # set by workflow.replay

    @property
    def replaying(self) -> bool:
        """True while some journaled position is still ahead."""
        return bool(self.history) and self.position <= max(self.history)

    def key(self, position: int) -> tuple[str, int, int]:
        """The journal key of ``position``."""
        return (self.workflow_id, self.run, position)


@attrs.define(eq=False)
class Engine:
    """The workflow module of one node."""

    db: str
    workflows: dict[str, WorkflowFn]
    activities: dict[str, ActivityFn]
    now: Callable[[], float]
    history_limit: int
    lease: float = 30.0
    poll: float = 1.0  # seconds between looks for what other nodes did (signals, ends)
    owner: str = attrs.field(factory=lambda: uuid.uuid4().hex)  # this node, in leases
    journal: Journal | None = None
    lost: set[str] = attrs.field(factory=set[str])  # runs stopped: another node took them
    stopping: bool = False  # the node is shutting down: a cancelled run is not cancelled
    scopes: dict[str, trio.CancelScope] = attrs.field(
        factory=dict[str, trio.CancelScope]
    )  # running here
    runs: dict[str, Run] = attrs.field(factory=dict[str, Run])
    ended: dict[str, trio.Event] = attrs.field(factory=dict[str, trio.Event])
    signalled: dict[str, trio.Event] = attrs.field(factory=dict[str, trio.Event])

    @property
    def store(self) -> Journal:
        """The journal (open once the node has started)."""
        if self.journal is None:
            raise WorkflowError("the workflow journal is not open yet")
        return self.journal

    def notify(self, table: dict[str, trio.Event], workflow_id: str) -> None:
        """Wake whoever waits on ``table[workflow_id]``."""
        event = table.pop(workflow_id, None)
        if event is not None:
            event.set()

    def waiter(self, table: dict[str, trio.Event], workflow_id: str) -> trio.Event:
        """The event :meth:`notify` sets next for ``workflow_id``."""
        return table.setdefault(workflow_id, trio.Event())


ENGINE = NodeVar[Engine]("workflow")
RUN = ProcessVar[Run]("workflow run")


def engine(node: Node) -> Engine:
    """The node's workflow engine; WorkflowError if the module was not booted."""
    found = ENGINE.find(node)
    if found is None:
        raise WorkflowError("the workflow module is not booted on this node")
    return found
