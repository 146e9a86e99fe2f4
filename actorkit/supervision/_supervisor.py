"""Supervisors: processes that start children, restart them when they fail, and stop them.

A :class:`Supervisor` is a spec and a process function at once: ``node.spawn(sup)`` or
``proc.spawn(sup)`` runs it. The supervisor traps links and both links and monitors each
child, so a child's exit arrives as an ``Exit`` event and the supervisor's own death takes
its children with it. Restarts wait out an exponential backoff while the supervisor keeps
serving requests; more than ``max_restarts`` failures in ``period`` seconds, or more than
``max_restarts`` failures in a row of one child that never ran for ``stable_period``, make
it stop its children and exit with :class:`RestartLimitError`. On ``Cancel`` it stops its
children in reverse start order, each within its grace period, and returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

import attrs

from actorkit.checks import duration, instance_of, integer

from ._backoff import Backoff
from ._fields import Valid, one_of
from ._running import Supervision
from ._spec import STRATEGIES, ChildSpec, Strategy
from .errors import SupervisorArgumentError

if TYPE_CHECKING:
    from actorkit import Process

Specs = tuple[ChildSpec, ...]


def _unique_ids(_sup: object, _attr: attrs.Attribute[Specs], specs: Specs) -> None:
    ids: list[str] = []
    for spec in specs:
        if not isinstance(spec, ChildSpec):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise SupervisorArgumentError("Supervisor", "children", "ChildSpecs", spec)
        ids.append(spec.id)
    if len(set(ids)) < len(ids):
        raise SupervisorArgumentError("Supervisor", "children", "ChildSpecs with distinct ids", ids)


def _specs(children: Iterable[ChildSpec]) -> Specs:
    if isinstance(children, str | bytes) or not isinstance(children, Iterable):  # pyright: ignore[reportUnnecessaryIsInstance]
        expected = "an iterable of ChildSpecs (a list or a tuple)"
        raise SupervisorArgumentError("Supervisor", "children", expected, children)
    return tuple(children)


@attrs.frozen
class Supervisor:
    """An OTP-style supervisor: its children, its strategy and its limits.

    Args:
        children: the child specs (a list or a tuple, distinct ids), started in this order
            and stopped in reverse.
        strategy: ``one_for_one`` (default), ``one_for_all`` or ``rest_for_one``.
        max_restarts: restarts allowed within ``period`` seconds, an int ``>= 0``; one more
            and the supervisor gives up (default 3 in 5 s). It also bounds the restarts of
            one child in a row that never reached ``stable_period``, however far apart the
            backoff spreads them, so a crash loop ends.
        period: the intensity window in seconds, ``> 0``; ``math.inf`` counts every restart.
        backoff: the wait before a restart (default Wippy's: 1 s, doubling, at most 90 s,
            ±10 % jitter); ``Backoff(initial=0)`` restarts at once.
        stable_period: a child that ran this long (seconds) before failing starts its
            backoff and its count of restarts in a row afresh; ``math.inf``: never, so
            ``max_restarts`` then bounds a child's restarts over the supervisor's life.

    Raises:
        SupervisorArgumentError: a field is not valid; the message names it.

    Run it as a process: ``node.spawn(Supervisor([...]), name="app")``, nest it as a
    child: ``ChildSpec("db", Supervisor([...]))``, or boot it with
    :func:`supervision_tree`. Spawning returns before the children start; the first
    :class:`SupervisorClient` request (``which_children()``) is answered once they have.
    Each restart is logged (``child_restarted``) and published as the runtime event
    ``("supervisor", "restart", "<supervisor path>/<child id>", {...})``; giving up is
    logged as ``supervisor_gave_up`` and published as ``("supervisor", "gave_up", ...)``.
    """

    is_supervisor: ClassVar[bool] = True

    children: Specs = attrs.field(default=(), converter=_specs, validator=_unique_ids)
    strategy: Strategy = attrs.field(
        default="one_for_one", kw_only=True, validator=one_of(STRATEGIES)
    )
    max_restarts: int = attrs.field(default=3, kw_only=True, validator=Valid(integer(minimum=0)))
    period: float = attrs.field(default=5.0, kw_only=True, validator=Valid(duration(positive=True)))
    backoff: Backoff = attrs.field(
        factory=Backoff, kw_only=True, validator=Valid(instance_of(Backoff, expected="a Backoff"))
    )
    stable_period: float = attrs.field(default=5.0, kw_only=True, validator=Valid(duration()))

    async def __call__(self, proc: Process, path: str | None = None) -> None:
        """Supervise until cancelled (the process body).

        ``path`` names the supervisor in logs and events; a parent supervisor passes
        ``"<its path>/<child id>"``, a root defaults to its registered name or PID.

        A ``Cancel`` event stops the children in reverse start order and returns normally.
        Terminating the process outright (cancelling its task) skips that: its links
        then take the children down.

        Raises:
            RestartLimitError: the restart intensity was exceeded.
            LinkedExitError: the process that spawned it failed.
        """
        await Supervision(proc, self, path or proc.name or str(proc.pid)).run()
