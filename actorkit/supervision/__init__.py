"""Supervision, OTP style, built on the public API and ``actorkit.lowlevel``: a
:class:`Supervisor` starts its children from :class:`ChildSpec` s, restarts them after a
:class:`Backoff`, and gives up with :class:`RestartLimitError` past its intensity; a
:class:`SupervisorClient` talks to a running one; :func:`supervision_tree` boots one as a
component. The names are also on ``actorkit`` itself, the errors on ``actorkit.errors``.
"""

from ._backoff import Backoff
from ._client import SupervisorClient
from ._spec import ChildInfo, ChildSpec, ChildStatus, Restart, Strategy
from ._supervisor import Supervisor
from ._tree import supervision_tree
from .errors import RestartLimitError, SupervisorArgumentError, SupervisorError

__all__ = [
    "Backoff",
    "ChildInfo",
    "ChildSpec",
    "ChildStatus",
    "Restart",
    "RestartLimitError",
    "Strategy",
    "Supervisor",
    "SupervisorArgumentError",
    "SupervisorClient",
    "SupervisorError",
    "supervision_tree",
]
