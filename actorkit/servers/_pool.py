"""Worker pools: N supervised workers behind one name (OTP's ``simple_one_for_one`` plus a
dispatcher), with backpressure when all of them are busy."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeGuard

import attrs
import trio

from actorkit import PID, Cancel, Event, Exit, Message, Process, Request, RequestFailedError
from actorkit.errors import NoProcessError
from actorkit.supervision import Backoff, ChildSpec, Supervisor

from ._client import CALL, CAST
from ._server import FORWARD, READY, Loop, Server, maybe_await

WorkerFn = Callable[..., Any]
"""``fn(proc, request, *args) -> reply``, sync or async: a stateless worker's ``handle_call``."""


def pool(
    worker: type[Server[Any]] | WorkerFn,
    *args: Any,
    size: int,
    name: str | None = None,
    backoff: Backoff | None = None,
    max_restarts: int | None = None,
) -> Pool:
    """A pool of ``size`` workers behind one process: spawn it (or supervise it) and
    :func:`call` / :func:`cast` it as one server.

    Args:
        worker: a :class:`Server` subclass, started as ``init(proc, *args)`` in each
            worker; or a function ``fn(proc, request, *args) -> reply`` (sync or async),
            each worker answering calls with it.
        size: how many workers, ``>= 1``.
        name: the pool's name: :meth:`Pool.start` spawns it under that name (so it is
            there when ``start`` returns); spawned otherwise, it registers when it runs.
        backoff: the workers' supervisor's :class:`Backoff` (default: the Supervisor's).
        max_restarts: restarts allowed in 5 s (default: ``3 * size``).

    A call goes to a free worker, which replies to the caller itself. When all are busy,
    calls and casts wait in the pool's mailbox (its bound holds the senders back) until a
    worker is free; a call whose deadline passed while it waited is dropped. A worker that
    crashes is restarted by the pool's supervisor, and the caller it was serving gets
    :class:`RequestFailedError` (the worker's PID and reason). A ``Cancel`` stops the
    workers, then the pool.
    """
    if type(size) is not int or size < 1:
        raise ValueError(f"pool: size must be an int >= 1, got {size!r}")
    server, args = as_server(worker, args)
    limit = 3 * size if max_restarts is None else max_restarts
    return Pool(server, args, size, name, backoff or Backoff(), limit)


def as_server(
    worker: type[Server[Any]] | WorkerFn, args: tuple[Any, ...]
) -> tuple[type[Server[Any]], tuple[Any, ...]]:
    """A Server subclass as it is; a function as the FunctionWorker that runs it."""
    if is_server_class(worker):
        return worker, args
    return FunctionWorker, (worker, *args)


def is_server_class(worker: object) -> TypeGuard[type[Server[Any]]]:
    return isinstance(worker, type) and issubclass(worker, Server)


@attrs.frozen
class Pool:
    """A pool's process function (made by :func:`pool`): the dispatcher, which spawns the
    workers' supervisor linked to itself."""

    worker: type[Server[Any]]
    args: tuple[Any, ...]
    size: int
    name: str | None
    backoff: Backoff
    max_restarts: int

    async def start(self, proc: Process, *, link: bool = False) -> PID:
        """Spawn the pool under its name and return its PID. A checkpoint."""
        return await proc.spawn(self, name=self.name, link=link)

    async def __call__(self, proc: Process) -> None:
        """Dispatch until cancelled (the process body)."""
        if self.name is not None and proc.name != self.name:
            proc.register(self.name)
        sup = await proc.spawn(self.supervisor(proc.pid), link=True)
        await Dispatcher(proc).run()
        await proc.terminate(sup, "pool stopped", grace=math.inf)

    def supervisor(self, dispatcher: PID) -> Supervisor:
        """The workers' supervisor: one child per worker, each told who dispatches."""
        children = [
            ChildSpec(f"worker-{i}", run_worker, (dispatcher, self.worker, self.args))
            for i in range(self.size)
        ]
        return Supervisor(children, max_restarts=self.max_restarts, backoff=self.backoff)


async def run_worker(
    proc: Process, dispatcher: PID, worker: type[Server[Any]], args: tuple[Any, ...]
) -> None:
    """One pool worker: a server that takes its jobs from the dispatcher."""
    await Loop(worker(), proc, dispatcher).run(args)


def is_job(event: Event) -> bool:
    """A call or a cast for the pool (as opposed to its own traffic)."""
    return isinstance(event, Message) and event.topic in (CALL, CAST)


class Dispatcher:
    """Hands each job to a free worker and keeps the rest waiting in the mailbox."""

    def __init__(self, proc: Process) -> None:
        self.proc = proc
        self.free: deque[PID] = deque()
        self.busy: dict[PID, Message | None] = {}  # every live worker, and its job

    async def run(self) -> None:
        while True:
            if self.free:
                event = await self.proc.receive(kind=Event)
            else:  # backpressure: jobs stay queued until a worker is free
                event = await self.proc.receive(kind=Event, match=lambda e: not is_job(e))
            if type(event) is Cancel:
                return
            await self.handle(event)

    async def handle(self, event: Event) -> None:
        if isinstance(event, Message):
            if is_job(event):
                await self.dispatch(event)
            elif event.topic == READY and event.sender is not None:
                await self.ready(event.sender)
        elif isinstance(event, Exit) and event.pid in self.busy:
            self.gone(event.pid, event.reason, event.error)

    async def dispatch(self, job: Message) -> None:
        if isinstance(job, Request) and job.deadline <= trio.current_time():
            return  # its caller stopped waiting: nobody would see the reply
        worker = self.free.popleft()
        self.busy[worker] = job
        try:
            await self.proc.send(worker, FORWARD, job)
        except NoProcessError:  # it died; its Exit is on the way
            self.gone(worker, "noproc", None)

    async def ready(self, worker: PID) -> None:
        if worker not in self.busy:  # a new worker (or a restarted one)
            await self.proc.monitor(worker)
        self.busy[worker] = None
        self.free.append(worker)

    def gone(self, worker: PID, reason: str, error: BaseException | None) -> None:
        job = self.busy.pop(worker, None)
        if worker in self.free:
            self.free.remove(worker)
        if isinstance(job, Request):
            self.proc.reply(job, error=RequestFailedError(worker, reason, error))


class FunctionWorker(Server[None]):
    """A stateless worker answering each call with ``fn(proc, request, *args)``."""

    def init(self, proc: Process, fn: WorkerFn, *args: Any) -> None:
        self.fn = fn
        self.args = args

    async def handle_call(self, request: Any, state: None) -> tuple[Any, None]:
        reply: Awaitable[Any] | Any = self.fn(self.proc, request, *self.args)
        return await maybe_await(reply), None
