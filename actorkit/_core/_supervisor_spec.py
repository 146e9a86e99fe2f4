"""What a supervisor is told: child specs, backoff, the rows it reports, and its errors.

The errors live here rather than in ``_exceptions`` because only supervision raises them::

    ActorkitError
     └─ SupervisorError              a supervisor refused a request (unknown id, running child, ...)
         ├─ RestartLimitError        children failed more often than the restart intensity allows
         └─ SupervisorArgumentError  a field of a Supervisor, ChildSpec or Backoff is not valid
                                     (also a ValueError)

Every field of :class:`ChildSpec`, :class:`Backoff` and ``Supervisor`` is checked when it is
built, with the core's checks (``_checks``): ints are ints (never bools); seconds are an int
or a float, not NaN, not negative, ``0`` meaning "now" and ``math.inf`` allowed only where it
means "never" (a shutdown without a time limit, a stable period or an intensity window that
never ends); names are one of the allowed set. A wrong field raises
:class:`SupervisorArgumentError` naming the class, the field and the value, with the same
wording as a command's ``CommandArgumentError``. These are not commands, so the error stays in
the supervision tree: ``except CommandError`` does not catch it. The one exception is ``fn``,
which raises the core's ``NotAProcessFunctionError`` (a ``TypeError``), as ``spawn`` does.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Literal

import attrs

from ._checks import Check, duration, is_number, text
from ._events import Event, Exit
from ._exceptions import ActorkitError, NotAProcessFunctionError, describe
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
FLOAT_MAX = sys.float_info.max  # a larger int does not fit a float: refused like inf
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


class SupervisorArgumentError(SupervisorError, ValueError):
    """A field of a ``Supervisor``, :class:`ChildSpec` or :class:`Backoff` is not valid.

    Raised when the spec is built; the message names the class, the field and the value:
    ``Supervisor: max_restarts must be an int >= 0, got 1.5 (float)``.
    """

    def __init__(self, owner: str, field: str, expected: str, value: object) -> None:
        super().__init__(
            f"{owner}: {field} must be {expected}, got {describe(value)} ({type(value).__name__})"
        )
        self.owner = owner
        self.field = field
        self.value = value


@attrs.frozen
class Valid:
    """An attrs validator running a core ``Check``; a wrong value raises
    :class:`SupervisorArgumentError` naming the class and the field."""

    check: Check

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.option(type(inst).__name__, attribute.name, value)

    def option(self, owner: str, field: str, value: object) -> None:
        """Check an argument that is not an attrs field (``SupervisorClient``'s options)."""
        if not self.check.test(value):
            raise SupervisorArgumentError(owner, field, self.check.expected, value)


def one_of(names: frozenset[str]) -> Valid:
    """A str among ``names``."""
    listed = ", ".join(repr(name) for name in sorted(names))
    return Valid(Check(lambda v: type(v) is str and v in names, f"one of {listed}"))


def number(test: Callable[[float], bool], expected: str) -> Valid:
    """An int or float (not a bool, not NaN) for which ``test`` holds."""
    return Valid(Check(lambda v: is_number(v) and test(v), f"{expected} (int or float, not NaN)"))


ProcessFn = Callable[..., Awaitable[object]]


def _check_fn(_spec: object, _attr: attrs.Attribute[ProcessFn], fn: ProcessFn) -> None:
    if not is_process_function(fn):
        raise NotAProcessFunctionError(fn)


Shutdown = float | Literal["brutal"]
_GRACE = duration()
_SHUTDOWN = Valid(
    Check(
        lambda v: (type(v) is str and v == "brutal") or _GRACE.test(v),
        f"{_GRACE.expected} or 'brutal'",
    )
)


def _as_tuple(args: Iterable[Any]) -> tuple[Any, ...]:
    """A list becomes a tuple; anything else is left for the check to refuse (a str would
    otherwise unpack into characters)."""
    return tuple(args) if type(args) is list else args  # type: ignore[return-value]


def _default_shutdown(spec: ChildSpec) -> float:
    return math.inf if getattr(spec.fn, "is_supervisor", False) else WORKER_SHUTDOWN


@attrs.frozen
class ChildSpec:
    """How a supervisor starts one child: ``fn(process, *args)``.

    Args:
        id: unique among the supervisor's children; names the child in requests and logs.
        fn: the process function (a :class:`Supervisor` nests a supervisor).
        args: its arguments, a tuple or a list.
        restart: ``permanent`` (default), ``transient`` or ``temporary``.
        shutdown: seconds the child gets to honour a ``Cancel`` before it is killed
            (``math.inf``: no limit); ``"brutal"`` kills at once. Default: 5 s for a worker,
            unlimited for a supervisor.
        name: register the child under this name (again at every restart).

    Raises:
        SupervisorArgumentError: a field is not valid.
        NotAProcessFunctionError: ``fn`` is not an async function.
    """

    id: str = attrs.field(validator=Valid(text(non_empty=True)))
    fn: ProcessFn = attrs.field(validator=_check_fn)
    args: tuple[Any, ...] = attrs.field(
        default=(),
        converter=_as_tuple,
        validator=Valid(Check(lambda v: type(v) is tuple, "a tuple or list of arguments")),
    )
    restart: Restart = attrs.field(default="permanent", kw_only=True, validator=one_of(RESTARTS))
    shutdown: Shutdown = attrs.field(
        default=attrs.Factory(_default_shutdown, takes_self=True),
        kw_only=True,
        validator=_SHUTDOWN,
    )
    name: str | None = attrs.field(
        default=None, kw_only=True, validator=Valid(text(optional=True, non_empty=True))
    )

    @property
    def grace(self) -> float:
        """The shutdown grace period in seconds (0 for ``brutal``)."""
        return 0.0 if self.shutdown == "brutal" else float(self.shutdown)


def _at_least_initial(backoff: Backoff, attr: attrs.Attribute[float], value: float) -> None:
    if value < backoff.initial:
        expected = f"seconds >= initial ({describe(backoff.initial)})"
        raise SupervisorArgumentError("Backoff", attr.name, expected, value)


@attrs.frozen
class Backoff:
    """Exponential backoff with jitter before a restart (Wippy's defaults).

    The n-th consecutive restart of a child waits ``initial * factor**n`` seconds, at most
    ``max``, spread by ±``jitter`` (a fraction). ``initial=0`` restarts at once (OTP style).

    Args:
        initial: seconds before the first restart, finite; ``0`` restarts at once.
        max: the longest wait in seconds, finite and at least ``initial``.
        factor: how much each consecutive restart multiplies the wait, ``>= 1``, finite.
        jitter: the spread, a fraction in ``[0, 1]``.

    Raises:
        SupervisorArgumentError: a field is not valid.
    """

    initial: float = attrs.field(default=1.0, validator=Valid(duration(finite=True)))
    max: float = attrs.field(
        default=90.0, validator=[Valid(duration(finite=True)), _at_least_initial]
    )
    factor: float = attrs.field(
        default=2.0, validator=number(lambda v: 1 <= v <= FLOAT_MAX, "a number >= 1, finite")
    )
    jitter: float = attrs.field(
        default=0.1, validator=number(lambda v: 0 <= v <= 1, "a fraction in [0, 1]")
    )

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before restart number ``attempt`` (counting from 0)."""
        if self.initial <= 0:
            return 0.0
        ceiling = float(self.max)
        try:  # in floats: ints given as fields would grow into huge exact ints
            base = float(self.initial) * float(self.factor) ** min(attempt, 64)
        except OverflowError:  # a huge factor: far past max whatever the jitter
            return ceiling
        if self.jitter:
            base *= 1.0 + rng.uniform(-self.jitter, self.jitter)
        return base if base < ceiling else ceiling  # inf * 0 (jitter 1) is NaN: max


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
