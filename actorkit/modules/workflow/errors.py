"""The workflow module's errors, on the module bases of :mod:`actorkit.errors`.

::

    ModuleError
     └─ WorkflowError               a workflow command failed; str() names it
         ├─ WorkflowArgumentError   a field is wrong, found when the command is built
         │                          (also ModuleArgumentError, CommandArgumentError,
         │                          TypeError and ValueError)
         ├─ NonDeterminismError     a replay yielded another command than the journal holds
         ├─ EncodingError           a value cannot be journaled (cattrs + JSON refused it)
         ├─ ActivityError           an activity failed (after its retries), as journaled
         ├─ VersionError            a journaled version is outside the supported range
         ├─ NotAllowedError         the command has no meaning in a workflow (Spawn, Begin)
         ├─ WorkflowNotFoundError   no workflow has that ID (also a LookupError)
         ├─ WorkflowFailedError     the workflow ended with an error or was cancelled
         ├─ HistoryLimitError       the journal reached its size limit
         └─ JournalError            the journal could not be written: the workflow stops
                                    and is resumed later, it does not fail

Each pickles with what it carries (a worker process can raise one, and it comes back whole).
"""

from __future__ import annotations

from actorkit.checks import describe
from actorkit.errors import ModuleArgumentError, ModuleError


class WorkflowError(ModuleError):
    """A workflow command failed. ``command`` names it when known (``Call (id=181)``)."""


class WorkflowArgumentError(WorkflowError, ModuleArgumentError, TypeError):
    """A field of a workflow command has the wrong type or value (raised when it is built)."""


class NonDeterminismError(WorkflowError):
    """A replayed workflow yielded a command other than the one its journal holds there.

    The workflow's code changed in a way its old runs cannot follow: guard the change
    with ``Version``, or let the old runs finish on the old code.
    """

    def __init__(self, workflow_id: str, position: int, journaled: str, replayed: str) -> None:
        super().__init__(
            f"workflow {workflow_id!r} is not deterministic at position {position}: "
            f"the journal holds {journaled}, the code yielded {replayed}"
        )
        self.workflow_id = workflow_id
        self.position = position
        self.journaled = journaled
        self.replayed = replayed

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.workflow_id, self.position, self.journaled, self.replayed))


class EncodingError(WorkflowError, TypeError):
    """A value leaving the workflow cannot be encoded (cattrs unstructure, then JSON)."""

    def __init__(self, what: str, value: object, reason: str) -> None:
        shown = f"{describe(value)} ({type(value).__name__})"
        super().__init__(f"cannot journal {shown}: {reason}", command=what)
        self.what = what
        self.reason = reason

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle without the value (it may not pickle either): the message is kept."""
        return (type(self), (self.what, None, self.reason), self.__dict__)


class ActivityError(WorkflowError):
    """An activity (or a journaled command) failed; replayed as it was journaled.

    ``type`` is the qualified name of the original exception and ``message`` its text.
    Live, the original exception is raised instead when it could be journaled as itself.
    """

    def __init__(self, type_name: str, message: str) -> None:
        super().__init__(f"{type_name}: {message}")
        self.type = type_name
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.type, self.message))


class VersionError(WorkflowError):
    """The journal holds a version of a change that the code no longer supports."""


class NotAllowedError(WorkflowError):
    """The command cannot be journaled meaningfully (its result is a live handle)."""


class WorkflowNotFoundError(WorkflowError, LookupError):
    """No workflow has that ID."""


class WorkflowFailedError(WorkflowError):
    """The workflow ended with an error (``status`` is ``failed``) or was cancelled."""

    def __init__(self, workflow_id: str, status: str, error: str) -> None:
        super().__init__(f"workflow {workflow_id!r} {status}: {error}")
        self.workflow_id = workflow_id
        self.status = status
        self.error = error

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle with the constructor's arguments."""
        return (type(self), (self.workflow_id, self.status, self.error))


class HistoryLimitError(WorkflowError):
    """The workflow's journal reached ``history_limit`` entries: continue as new."""


class JournalError(WorkflowError):
    """The journal could not be written (the database's error is the ``__cause__``)."""
