"""What a supervisor is told about each child, and the row it reports for it."""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Literal

import attrs

from actorkit import PID
from actorkit.checks import Check, duration, text
from actorkit.errors import NotAProcessFunctionError
from actorkit.lowlevel import is_process_function

from ._fields import Valid, one_of

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


@attrs.frozen
class ChildInfo:
    """One child as ``which_children`` reports it, in start order."""

    id: str
    pid: PID | None
    restart: Restart
    status: ChildStatus
    supervisor: bool
    """True when the child is itself a supervisor."""
