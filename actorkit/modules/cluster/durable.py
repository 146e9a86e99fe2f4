"""Durable virtual actors: a virtual actor kind whose activations are workflows.

``virtual={"account": cluster.durable("account")}`` makes ``(kind, key)`` the workflow with
ID ``kind/key`` of the workflow named ``account`` (booted with the workflow module, on a
database every node shares). :func:`send_virtual` starts it if needed (``workflow.Start``
is idempotent) and delivers the message as a workflow signal named by the topic, which
the workflow takes with ``workflow.Receive(topic)``: journaled, exactly once. Where it
runs is the workflow module's business: the node that started it, while it holds the
lease; when that node dies its lease runs out and another node resumes it **with its
state** (the journal replays), and signals sent meanwhile wait in the journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from actorkit.modules import workflow

from .commands import SendVirtual
from .errors import ClusterArgumentError
from .state import STATE

if TYPE_CHECKING:
    from actorkit import Process


@attrs.frozen
class Durable:
    """A virtual actor kind run as the workflow named ``workflow``."""

    workflow: str


def durable(workflow_name: str) -> Durable:
    """The ``virtual=`` entry of a kind whose activations are the workflow ``workflow_name``."""
    if type(workflow_name) is not str or not workflow_name:
        raise ValueError(f"cluster.durable: a workflow name, got {workflow_name!r}")
    return Durable(workflow_name)


def durable_kind(proc: Process, kind: str) -> Durable | None:
    """The durable spec of ``kind`` on the caller's node, or None (a plain kind)."""
    state = STATE.find(proc.node)
    spec = state.options.virtual.get(kind) if state is not None else None
    return spec if isinstance(spec, Durable) else None


async def send_virtual(
    proc: Process, kind: str, key: str, topic: str, payload: object = None
) -> None:
    """Send to the virtual actor ``(kind, key)``: :class:`SendVirtual` for a plain kind; for
    a durable one, start its workflow if needed and signal it (``topic`` names the signal).
    """
    spec = durable_kind(proc, kind)
    if spec is None:
        await proc.call(SendVirtual(kind, key, topic, payload))
        return
    workflow_id = f"{kind}/{key}"
    await proc.call(workflow.Start(workflow_id, spec.workflow, (key,)))
    await proc.call(workflow.Signal(workflow_id, topic, payload))


def refuse_durable(kind: str, what: str) -> ClusterArgumentError:
    """The error of a command that cannot address a durable kind."""
    return ClusterArgumentError(
        what, "kind", "a plain virtual kind (a durable one is sent with send_virtual)", kind
    )
