"""workflow commands (IDs 180–189) and the data they carry.

Inside a workflow (180–183, 186) a command's result is journaled; outside one, SideEffect,
Call, Version and UpsertAttrs simply run. 184–189 manage workflows from any process.
Every field is checked when the command is built: a wrong one raises
:class:`~.errors.WorkflowArgumentError` naming the command, its ID and the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from actorkit import PID
from actorkit.checks import Check, duration, flag, function, integer, text
from actorkit.lowlevel import Command, command, declare_range

from .codec import OMIT_WHEN_NONE
from .errors import WorkflowArgumentError

declare_range("workflow", 180, 189)

_TEXT = text(non_empty=True).raising(WorkflowArgumentError)
_ARGS = Check(lambda v: type(v) is tuple, "a tuple or list of arguments", WorkflowArgumentError)
_FN = function().raising(WorkflowArgumentError)
_TIMEOUT = duration(optional=True, finite=True, positive=True).raising(WorkflowArgumentError)
_INT = integer().raising(WorkflowArgumentError)
_SCALAR = (str, int, float, bool)


def _to_args(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
    return value


def _attributes(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    items: Mapping[object, object] = value  # pyright: ignore[reportUnknownVariableType]
    return all(type(k) is str and type(v) in _SCALAR for k, v in items.items())


_ATTRS = Check(_attributes, "a mapping of str to str, int, float or bool", WorkflowArgumentError)
_TARGET = Check(
    lambda v: (type(v) is str and v != "") or isinstance(v, Command),
    "an activity or workflow name, or a command",
    WorkflowArgumentError,
)
_STATUS = Check(
    lambda v: v is None or v in ("running", "completed", "failed", "cancelled"),
    "None or one of 'running', 'completed', 'failed', 'cancelled'",
    WorkflowArgumentError,
)


@attrs.frozen
class Retry:
    """How an activity is retried: ``attempts`` in all, waiting ``initial`` seconds after
    the first failure, then ``factor`` times longer each time, at most ``maximum``."""

    attempts: int = attrs.field(default=3, validator=integer(minimum=1))
    initial: float = attrs.field(default=1.0, validator=duration(finite=True))
    factor: float = attrs.field(default=2.0, validator=duration(finite=True))
    maximum: float = attrs.field(default=60.0, validator=duration(finite=True))

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (from 1)."""
        return min(self.initial * self.factor ** (attempt - 1), self.maximum)


@attrs.frozen
class WorkflowInfo:
    """A workflow as ``Start``, ``Describe`` and ``List`` report it.

    Attributes:
        workflow_id: its ID.
        workflow: the registered name of its function.
        status: ``running``, ``completed``, ``failed`` or ``cancelled``.
        run: 1, plus one for each continue-as-new.
        attributes: what ``UpsertAttrs`` stored.
        result: its return value when completed.
        error: what it failed with (``Type: message``) when failed or cancelled.
        state: what the workflow last published (:func:`publish`): from memory in the
            node running it, from the workflow's row (written in the background) elsewhere.
        pid: the process running it in this node (None elsewhere or once ended): where
            :func:`receive` takes its messages from.
    """

    workflow_id: str
    workflow: str
    status: str
    run: int
    attributes: dict[str, Any]
    result: Any = None
    error: str | None = None
    state: Any = None
    pid: PID | None = None


@command(id=180, module="workflow")
class SideEffect(Command[Any]):
    """Run ``fn()`` once and journal its value (time, random numbers, UUIDs…).

    Replay returns the journaled value without calling ``fn``. See :func:`now`,
    :func:`random` and :func:`uuid4`.
    """

    fn: Callable[[], object] = attrs.field(validator=_FN)


@command(id=181, module="workflow")
class Call(Command[Any]):
    """Run an activity, a command or a child workflow, and journal its result.

    ``target`` is an activity's registered name, any module's command, or (with
    ``workflow_id``) a workflow's registered name started as a child with that ID.
    Activities and commands are retried by ``retry``; each attempt has ``timeout``.
    """

    target: str | Command[Any] = attrs.field(validator=_TARGET)
    args: tuple[Any, ...] = attrs.field(default=(), converter=_to_args, validator=_ARGS)
    retry: Retry = attrs.field(factory=Retry)
    timeout: float | None = attrs.field(default=None, validator=_TIMEOUT)
    workflow_id: str | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.workflow_id is not None:
            _TEXT.check(self, "workflow_id", self.workflow_id)
            if type(self.target) is not str:
                _TEXT.check(self, "target", self.target)


@command(id=182, module="workflow")
class Version(Command[int]):
    """Mark a code change: new runs get ``max_supported``, runs journaled before the
    marker existed get ``DEFAULT_VERSION`` (-1), and replay gets what was journaled."""

    change_id: str = attrs.field(validator=_TEXT)
    min_supported: int = attrs.field(validator=_INT)
    max_supported: int = attrs.field(validator=_INT)


@command(id=183, module="workflow")
class UpsertAttrs(Command[None]):
    """Store searchable attributes with the workflow (merged into what is there)."""

    attributes: Mapping[str, str | int | float | bool] = attrs.field(validator=_ATTRS)


@command(id=184, module="workflow")
class Start(Command[WorkflowInfo]):
    """Start workflow ``workflow`` as ``workflow_id`` with ``args``, unless that ID exists:
    then nothing starts (a stopped running one is resumed) and its info is returned."""

    workflow_id: str = attrs.field(validator=_TEXT)
    workflow: str = attrs.field(validator=_TEXT)
    args: tuple[Any, ...] = attrs.field(default=(), converter=_to_args, validator=_ARGS)


@command(id=185, module="workflow")
class Signal(Command[None]):
    """Journal signal ``name`` with ``payload`` for workflow ``workflow_id``; its
    ``Receive(name)`` gets it exactly once."""

    workflow_id: str = attrs.field(validator=_TEXT)
    name: str = attrs.field(validator=_TEXT)
    payload: Any = None


@command(id=186, module="workflow")
class Receive(Command[Any]):
    """Inside a workflow: wait for the next signal ``name`` and return its payload.

    With ``timeout`` the wait has a durable deadline: it is journaled when the wait
    begins, and after a crash or a restart the wait goes on only for what is left of it;
    past it the call raises ``trio.TooSlowError`` (journaled too, so replay raises it).
    """

    name: str = attrs.field(validator=_TEXT)
    timeout: float | None = attrs.field(
        default=None, validator=_TIMEOUT, metadata={OMIT_WHEN_NONE: True}
    )


@command(id=187, module="workflow")
class Describe(Command[WorkflowInfo]):
    """The workflow's info; with ``wait``, once it has ended (in this node)."""

    workflow_id: str = attrs.field(validator=_TEXT)
    wait: bool = attrs.field(default=False, validator=flag().raising(WorkflowArgumentError))


@command(id=188, module="workflow")
class List(Command[list[WorkflowInfo]]):
    """Workflows whose attributes include every item of ``where`` (and with ``status``)."""

    where: Mapping[str, str | int | float | bool] = attrs.field(factory=dict, validator=_ATTRS)
    status: str | None = attrs.field(default=None, validator=_STATUS)


@command(id=189, module="workflow")
class Cancel(Command[bool]):
    """Cancel a workflow: True if it was running, False if it had already ended."""

    workflow_id: str = attrs.field(validator=_TEXT)


__all__ = [
    "Call",
    "Cancel",
    "Describe",
    "List",
    "Receive",
    "Retry",
    "SideEffect",
    "Signal",
    "Start",
    "UpsertAttrs",
    "Version",
    "WorkflowInfo",
]
