"""The test kit: a pytest fixture booting a node on the autojump clock, and helpers.

In a test, ``node.fake(Cmd, fn)`` scripts a command's result, ``await node.exec(fn)`` runs
a process to its end, and ``await node.wait(pid)`` returns a process's ``Exit``.
``await replay_workflow(history, fn)`` replays a saved workflow history against new code.
"""

from actorkit._api._fake import Fake

from ._node import open_test_node
from ._replay import replay_workflow, saved_history
from ._services import require_service, services_required

__all__ = [
    "Fake",
    "open_test_node",
    "replay_workflow",
    "require_service",
    "saved_history",
    "services_required",
]
