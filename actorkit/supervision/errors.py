"""Supervision's errors; only supervision raises them (they live in :mod:`actorkit.errors`
with the rest of the tree)::

    ActorkitError
     └─ SupervisorError              a supervisor refused a request (unknown id, running child, ...)
         ├─ RestartLimitError        children failed more often than the restart intensity allows
         └─ SupervisorArgumentError  a field of a Supervisor, ChildSpec or Backoff is not valid
                                     (also a ValueError)

A wrong field raises :class:`SupervisorArgumentError` naming the class, the field and the
value, with the same wording as a command's ``CommandArgumentError``. These are not commands,
so the error stays in the supervision tree: ``except CommandError`` does not catch it.
"""

from actorkit.errors import RestartLimitError, SupervisorArgumentError, SupervisorError

__all__ = ["RestartLimitError", "SupervisorArgumentError", "SupervisorError"]
