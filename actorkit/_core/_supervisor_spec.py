"""What a supervisor is told: child specs, backoff, the rows it reports, and its errors.

The errors live here rather than in ``_exceptions`` because only supervision raises them::

    ActorkitError
     └─ SupervisorError          a supervisor refused a request (unknown id, running child, ...)
         └─ RestartLimitError    children failed more often than the restart intensity allows
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Literal

import attrs

from ._events import Event, Exit
from ._exceptions import ActorkitError, NotAProcessFunctionError
from ._pid import PID
from ._process_commands import is_process_function

Restart = Literal["permanent", "transient", "temporary"]
"""``permanent``: always restarted; ``transient``: restarted unless it ended normally (a
return, or honouring a ``Cancel``); ``temporary``: never restarted, forgotten when it exits."""

Strategy = Literal["one_for_one", "one_for_all", "rest_for_one"]
"""Which children restart with a failed one: itself, all of them, or itself and every child
started after it."""

ChildStatus = Literal["running", "restarting", "stopped"]

RESTARTS: frozenset[str] = frozenset(("permanent", "transient", "temporary"))
STRATEGIES: frozenset[str] = frozenset(("one_for_one", "one_for_all", "rest_for_one"))
WORKER_SHUTDOWN = 5.0  # seconds a worker gets to honour Cancel before it is killed (OTP's 5000 ms)


class SupervisorError(ActorkitError):
    """A supervisor refused a request: unknown child id, duplicate id, child still running."""


class RestartLimitError(SupervisorError):
    """Children failed more often than ``max_restarts`` in ``period``: the supervisor gave up.

    It is the supervisor's exit error; ``child`` is the id of the child whose failure broke
    the limit.
    """

    def __init__(self, supervisor: str, child: str, max_restarts: int, period: float) -> None:
        super().__init__(
            f"supervisor {supervisor} gave up: child {child!r} broke the restart limit "
            f"of {max_restarts} in {period}s"
        )
        self.supervisor = supervisor
        self.child = child
        self.max_restarts = max_restarts
        self.period = period


ProcessFn = Callable[..., Awaitable[object]]


def _check_fn(_spec: object, _attr: attrs.Attribute[ProcessFn], fn: ProcessFn) -> None:
    if not is_process_function(fn):
        raise NotAProcessFunctionError(fn)


Shutdown = float | Literal["brutal"]


def _check_shutdown(_spec: object, _attr: attrs.Attribute[Shutdown], value: Shutdown) -> None:
    if value == "brutal":
        return
    if not isinstance(value, int | float) or value < 0:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ValueError(f"shutdown must be seconds >= 0 or 'brutal', got {value!r}")


def _as_tuple(args: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(args)


def _default_shutdown(spec: ChildSpec) -> float:
    return math.inf if getattr(spec.fn, "is_supervisor", False) else WORKER_SHUTDOWN


@attrs.frozen
class ChildSpec:
    """How a supervisor starts one child: ``fn(process, *args)``.

    Args:
        id: unique among the supervisor's children; names the child in requests and logs.
        fn: the process function (a :class:`Supervisor` nests a supervisor).
        args: its arguments.
        restart: ``permanent`` (default), ``transient`` or ``temporary``.
        shutdown: seconds the child gets to honour a ``Cancel`` before it is killed;
            ``"brutal"`` kills at once. Default: 5 s for a worker, unlimited for a supervisor.
        name: register the child under this name (again at every restart).
    """

    id: str = attrs.field(validator=attrs.validators.instance_of(str))
    fn: ProcessFn = attrs.field(validator=_check_fn)
    args: tuple[Any, ...] = attrs.field(default=(), converter=_as_tuple)
    restart: Restart = attrs.field(
        default="permanent", kw_only=True, validator=attrs.validators.in_(RESTARTS)
    )
    shutdown: Shutdown = attrs.field(
        default=attrs.Factory(_default_shutdown, takes_self=True),
        kw_only=True,
        validator=_check_shutdown,
    )
    name: str | None = attrs.field(default=None, kw_only=True)

    @property
    def grace(self) -> float:
        """The shutdown grace period in seconds (0 for ``brutal``)."""
        return 0.0 if self.shutdown == "brutal" else float(self.shutdown)


def _positive(_obj: object, attr: attrs.Attribute[float], value: float) -> None:
    if value < 0:
        raise ValueError(f"{attr.name} must be >= 0, got {value!r}")


def _fraction(_obj: object, attr: attrs.Attribute[float], value: float) -> None:
    if not 0 <= value < 1:
        raise ValueError(f"{attr.name} must be in [0, 1), got {value!r}")


@attrs.frozen
class Backoff:
    """Exponential backoff with jitter before a restart (Wippy's defaults).

    The n-th consecutive restart of a child waits ``initial * factor**n`` seconds, at most
    ``max``, spread by ±``jitter`` (a fraction). ``initial=0`` restarts at once (OTP style).
    """

    initial: float = attrs.field(default=1.0, validator=_positive)
    max: float = attrs.field(default=90.0, validator=_positive)
    factor: float = attrs.field(default=2.0, validator=_positive)
    jitter: float = attrs.field(default=0.1, validator=_fraction)

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before restart number ``attempt`` (counting from 0)."""
        if self.initial <= 0:
            return 0.0
        base = self.initial * self.factor ** min(attempt, 64)
        if self.jitter:
            base *= 1.0 + rng.uniform(-self.jitter, self.jitter)
        return min(self.max, base)


NO_BACKOFF = Backoff(initial=0.0)


@attrs.frozen
class ChildInfo:
    """One child as ``which_children`` reports it, in start order."""

    id: str
    pid: PID | None
    restart: Restart
    status: ChildStatus
    supervisor: bool
    """True when the child is itself a supervisor."""


# -- the request protocol between SupervisorClient and the supervisor process ---------------

REQUEST_TOPIC = "$supervisor"
_refs = itertools.count(1)


def new_ref() -> int:
    """A fresh reference that pairs a request with its reply."""
    return next(_refs)


@attrs.frozen
class Request:
    """A client's request, sent as the payload of a message on ``REQUEST_TOPIC``."""

    ref: int
    op: str
    arg: object = None


@attrs.frozen
class Reply(Event):
    """The supervisor's answer; it rides the priority lane, like a command's completion."""

    bounded: ClassVar[bool] = False
    ref: int
    result: object
    error: BaseException | None


def answer_to(ref: int, pid: PID) -> Callable[[Event], bool]:
    """Matches the reply to request ``ref``, or the ``Exit`` of the supervisor ``pid``."""

    def match(event: Event) -> bool:
        if isinstance(event, Reply):
            return event.ref == ref
        return isinstance(event, Exit) and event.pid == pid

    return match
