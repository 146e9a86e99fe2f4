"""Supervision's errors; only supervision raises them::

    ActorkitError
     └─ SupervisorError              a supervisor refused a request (unknown id, running child, ...)
         ├─ RestartLimitError        children failed more often than the restart intensity allows
         └─ SupervisorArgumentError  a field of a Supervisor, ChildSpec or Backoff is not valid
                                     (also a ValueError)

A wrong field raises :class:`SupervisorArgumentError` naming the class, the field and the
value, with the same wording as a command's ``CommandArgumentError``. These are not commands,
so the error stays in the supervision tree: ``except CommandError`` does not catch it.
"""

from __future__ import annotations

from actorkit import ActorkitError
from actorkit.checks import describe


class SupervisorError(ActorkitError):
    """A supervisor refused a request: unknown child id, duplicate id, child still running."""


class RestartLimitError(SupervisorError):
    """Children failed more often than ``max_restarts`` in ``period``, or one child more
    than ``max_restarts`` times in a row without running for the stable period (a crash
    loop under backoff): the supervisor gave up.

    It is the supervisor's exit error; ``child`` is the id of the child whose failure broke
    the limit; ``stable_period`` is set when the limit broken was the one in a row.
    """

    def __init__(
        self,
        supervisor: str,
        child: str,
        max_restarts: int,
        period: float,
        *,
        stable_period: float | None = None,
    ) -> None:
        limit = (
            f"{max_restarts} in {period}s"
            if stable_period is None
            else f"{max_restarts} in a row without running {stable_period}s"
        )
        super().__init__(
            f"supervisor {supervisor} gave up: child {child!r} broke the restart limit of {limit}"
        )
        self.supervisor = supervisor
        self.child = child
        self.max_restarts = max_restarts
        self.period = period
        self.stable_period = stable_period


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
