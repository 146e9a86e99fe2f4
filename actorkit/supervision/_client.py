"""Talking to a running supervisor from a process."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, cast

from actorkit import PID
from actorkit.checks import Check, duration, text
from actorkit.errors import NoProcessError, RequestFailedError
from actorkit.lowlevel import lookup

from ._fields import Valid
from ._protocol import REQUEST_TOPIC, Operation
from ._spec import ChildInfo, ChildSpec

if TYPE_CHECKING:
    from actorkit import Process

_NAME = text(non_empty=True)
_TARGET = Valid(
    Check(lambda v: isinstance(v, PID) or _NAME.test(v), "a PID or a non-empty str name")
)
_TIMEOUT = Valid(duration(optional=True))


class SupervisorClient:
    """Requests to a running supervisor, made from a process.

    ``SupervisorClient(proc, "app")`` talks to the supervisor registered as ``app`` (or
    given by PID) through ``proc``'s inbox. Each method is a checkpoint: it sends a request
    and waits for the answer (``proc.request``: the supervisor is monitored meanwhile, so its
    death ends the wait with ``NoProcessError``, and a late answer is dropped). ``timeout``
    (seconds, default none) bounds every wait with ``trio.TooSlowError``. Cancelling a
    method stops the waiting; the supervisor still completes a request it has received.

    Refusals raise :class:`SupervisorError` (no child with that id, an id already taken,
    a child that must be stopped first). A ``target`` that is neither a PID nor a name, or a
    negative or NaN ``timeout``, raises ``SupervisorArgumentError`` (a ``SupervisorError``
    and a ``ValueError``) at once.
    """

    __slots__ = ("proc", "target", "timeout")

    def __init__(self, proc: Process, target: PID | str, *, timeout: float | None = None) -> None:
        _TARGET.option("SupervisorClient", "target", target)
        _TIMEOUT.option("SupervisorClient", "timeout", timeout)
        self.proc = proc
        self.target = target
        self.timeout = timeout

    async def start_child(self, spec: ChildSpec) -> PID:
        """Add a child and start it at once (appended to the start order); returns its PID."""
        return cast("PID", await self._request("start_child", spec))

    async def terminate_child(self, child_id: str) -> None:
        """Stop a child within its grace period; it stays listed as ``stopped`` (a
        temporary child is forgotten). A pending restart is dropped.

        Stopping a child whose failure is being restarted (its backoff pending, or its
        start failing again and again) also holds the siblings its strategy stopped with it
        (``one_for_all``: all, ``rest_for_one``: the later ones): they stay ``stopped``
        until :meth:`restart_child` starts it again, as in OTP.
        """
        await self._request("terminate_child", child_id)

    async def restart_child(self, child_id: str) -> PID:
        """Start a stopped child again; returns its new PID.

        The siblings it holds (see :meth:`terminate_child`) start with it, all in start
        order. If one of them cannot start, those already started are stopped again, the
        siblings stay held, and its error is raised. (OTP's ``restart_child`` starts only
        the child named and leaves such siblings down; they were stopped on its account
        alone, so actorkit brings them back with it.)
        """
        return cast("PID", await self._request("restart_child", child_id))

    async def delete_child(self, child_id: str) -> None:
        """Forget a stopped child. Siblings it held stay stopped (restart each by its id)."""
        await self._request("delete_child", child_id)

    async def which_children(self) -> list[ChildInfo]:
        """Every child in start order: id, PID (None unless running), restart type, status."""
        return cast("list[ChildInfo]", await self._request("which_children"))

    async def _request(self, op: str, arg: object = None) -> object:
        proc = self.proc
        sup = lookup(proc.node, self.target)
        if sup is None:
            raise NoProcessError(self.target, f"no supervisor to ask for {op}")
        timeout = math.inf if self.timeout is None else self.timeout
        try:
            return await proc.request(sup.pid, REQUEST_TOPIC, Operation(op, arg), timeout=timeout)
        except RequestFailedError as exc:
            raise NoProcessError(sup.pid, f"supervisor exited during {op} ({exc})") from exc
