"""The workflow process and its journal seam.

The seam sits between the workflow process and its commands' handlers. At a journaled
position it answers from the journal at once (after checking that the command is the one
journaled there); past the journal it hands the command on and journals the result before
the workflow sees it. ``clock.Sleep`` becomes a durable timer: its firing time is journaled
first, and replay sleeps until that time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog
import trio

import actorkit
from actorkit import lowlevel
from actorkit.checks import label
from actorkit.modules import clock

from .codec import decode, decode_error, encode, encode_error, signature
from .commands import Receive, Version
from .errors import HistoryLimitError, JournalError, NonDeterminismError, VersionError
from .journal import Entry
from .state import RUN, Deadline, Engine, Published, Run

if TYPE_CHECKING:
    from actorkit.lowlevel import Handler, HandlerContext, Receiver

log = structlog.get_logger(__name__)
CANCELLED = "Cancelled: cancelled by request"
DEFAULT_VERSION = -1
"""What ``Version`` returns in a run journaled before the marker was added."""


class ContinueAsNew(Exception):
    """Raise it from a workflow to start a new run with ``args`` and an empty journal."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.new_args = args


def journal_seam(ctx: HandlerContext, cmd: Any, tag: int, rcv: Receiver, next_: Handler) -> None:
    """The seam of every workflow process."""
    run = RUN.find(ctx.caller)
    if run is None:
        next_(ctx, cmd, tag, rcv)
        return
    if isinstance(cmd, Version):
        version_step(ctx, run, cmd, tag, rcv)
        return
    engine = _engine(ctx)
    position = run.position
    timed = isinstance(cmd, Receive) and cmd.timeout is not None
    if position + timed >= engine.history_limit:
        rcv.complete_yield(tag, None, HistoryLimitError(_limit(run, engine)))
        return
    sig = signature(cmd)
    if timed and not _deadline(run, engine, cmd, sig, (tag, rcv)):
        return
    position = run.position
    run.position += 1
    entry = run.history.get(position)
    if entry is not None:
        run.deadlines.pop(position, None)
        _replay(ctx, run, (position, sig, cmd), entry, (tag, rcv))
    elif isinstance(cmd, clock.Sleep):
        fire_at = engine.now() + cmd.seconds
        ctx.start_soon(tag, _timer, ctx, run, (position, sig), fire_at, (tag, rcv))
    else:
        run.positions[tag] = position
        run.signatures[position] = sig
        next_(ctx, cmd, tag, Journaling(ctx, run, position, sig, rcv))


def _deadline(run: Run, engine: Engine, cmd: Any, sig: str, call: tuple[int, Receiver]) -> bool:
    """A wait with a durable timeout takes two positions: its deadline, then its outcome.

    Takes the first one: the journaled deadline on replay, else a new one whose entry the
    wait writes before it begins. False (the call failed) if the journal holds another
    command there.
    """
    position = run.position
    run.position += 1
    dsig = f"Deadline of {sig}"
    entry = run.history.get(position)
    if entry is None:
        at = engine.now() + cmd.timeout
        run.deadlines[position + 1] = Deadline(at, Entry(dsig, encode(at, dsig), None))
    elif entry.command == dsig:
        run.deadlines[position + 1] = Deadline(float(decode(entry.result or "0")))
    else:
        error = NonDeterminismError(run.workflow_id, position, entry.command, dsig)
        call[1].complete_yield(call[0], None, error)
        return False
    return True


def _limit(run: Run, engine: Engine) -> str:
    return (
        f"workflow {run.workflow_id!r} reached its history limit of {engine.history_limit} "
        "journaled commands: continue as new"
    )


def _replay(
    ctx: HandlerContext,
    run: Run,
    step: tuple[int, str, Any],
    entry: Entry,
    call: tuple[int, Receiver],
) -> None:
    position, sig, cmd = step
    tag, rcv = call
    if entry.command != sig:
        error = NonDeterminismError(run.workflow_id, position, entry.command, sig)
        rcv.complete_yield(tag, None, error)
    elif isinstance(cmd, clock.Sleep):
        fire_at = float(decode(entry.result or "0"))
        ctx.start_soon(tag, _sleep_until, ctx, fire_at, tag, rcv)
    elif entry.error is not None:
        rcv.complete_yield(tag, None, decode_error(entry.error))
    else:
        rcv.complete_yield(tag, decode(entry.result or "null"), None)


async def _timer(
    ctx: HandlerContext,
    run: Run,
    step: tuple[int, str],
    fire_at: float,
    call: tuple[int, Receiver],
) -> None:
    position, sig = step
    await _engine(ctx).store.append(run.key(position), Entry(sig, encode(fire_at, sig), None))
    await _sleep_until(ctx, fire_at, *call)


async def _sleep_until(ctx: HandlerContext, fire_at: float, tag: int, rcv: Receiver) -> None:
    await trio.sleep(max(0.0, fire_at - _engine(ctx).now()))
    rcv.complete_yield(tag, None, None)


def version_step(ctx: HandlerContext, run: Run, cmd: Version, tag: int, rcv: Receiver) -> None:
    """A ``Version`` marker: the journaled version, ``DEFAULT_VERSION`` in a run journaled
    before the marker, else (live) the newest, journaled."""
    position = run.position
    sig = f"{label(Version)} {cmd.change_id}"
    entry = run.history.get(position)
    if entry is not None and entry.command == sig:
        run.position += 1
        value = int(decode(entry.result or "0"))
    elif run.replaying:
        value = DEFAULT_VERSION  # journaled before the marker: takes no position
    else:
        run.position += 1
        value = cmd.max_supported
        rcv = Journaling(ctx, run, position, sig, rcv)
    if not cmd.min_supported <= value <= cmd.max_supported:
        got = "no marker" if value == DEFAULT_VERSION else f"version {value}"
        error = VersionError(
            f"workflow {run.workflow_id!r}: change {cmd.change_id!r} has {got} in its "
            f"journal, outside the supported {cmd.min_supported}..{cmd.max_supported}"
        )
        rcv.complete_yield(tag, None, error)
        return
    rcv.complete_yield(tag, value, None)


class Journaling:
    """A receiver that journals a live result before the workflow sees it."""

    def __init__(
        self, ctx: HandlerContext, run: Run, position: int, sig: str, inner: Receiver
    ) -> None:
        self.ctx = ctx
        self.run = run
        self.position = position
        self.sig = sig
        self.inner = inner

    def complete_yield(self, tag: int, data: object, error: BaseException | None) -> None:
        """Journal (in the background of the workflow), then deliver."""
        self.run.positions.pop(tag, None)
        self.run.signatures.pop(self.position, None)
        if self.position in self.run.journaled:  # the handler journaled it with its work
            self.run.journaled.discard(self.position)
            self.inner.complete_yield(tag, data, error)
            return
        try:
            entry = _entry(self.sig, data, error)
        except Exception as exc:
            self.inner.complete_yield(tag, None, exc)
            return
        self.ctx.start_background(self._append, entry, tag, data, error)

    async def _append(
        self, entry: Entry, tag: int, data: object, error: BaseException | None
    ) -> None:
        await _engine(self.ctx).store.append(self.run.key(self.position), entry)
        self.inner.complete_yield(tag, data, error)


def _entry(sig: str, data: object, error: BaseException | None) -> Entry:
    if error is not None:
        return Entry(sig, None, encode_error(error))
    return Entry(sig, encode(data, sig), None)


def _engine(ctx: HandlerContext) -> Engine:
    from .state import engine  # noqa: PLC0415 - avoids a cycle with the handlers

    return engine(ctx.node)


async def run_workflow(proc: actorkit.Process, engine: Engine, workflow_id: str) -> None:
    """The workflow process: take the workflow's lease, then replay and run it to its end.

    Leaves the workflow ``running`` in the journal when the process is stopped from outside
    (node shutdown, terminate) or loses its lease, so that it is resumed later.
    """
    ref = lowlevel.ref_of(proc)
    lowlevel.add_seam(ref, journal_seam)
    store, owner = engine.store, engine.owner
    published = Published()
    try:
        now = engine.now()
        if not await store.claim(workflow_id, owner, now, now + engine.lease):
            return  # another node runs it
        try:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(_keep_lease, engine, workflow_id)
                nursery.start_soon(_write_states, engine, workflow_id, published)
                while await _one_run(proc, engine, workflow_id, published):
                    engine.scopes[workflow_id] = trio.CancelScope()  # a Cancel may come
                nursery.cancel_scope.cancel()
        finally:
            with trio.CancelScope(shield=True):
                try:
                    await write_state(engine, workflow_id, published)
                finally:
                    await store.release(workflow_id, owner)
    finally:
        engine.scopes.pop(workflow_id, None)
        engine.runs.pop(workflow_id, None)
        engine.lost.discard(workflow_id)
        RUN.reset(ref)
        engine.notify(engine.ended, workflow_id)


async def _keep_lease(engine: Engine, workflow_id: str) -> None:
    """Renew the lease every third of its length; stop the run if it was taken."""
    while True:
        await trio.sleep(engine.lease / 3)
        if not await engine.store.renew(workflow_id, engine.owner, engine.now() + engine.lease):
            engine.lost.add(workflow_id)
            scope = engine.scopes.get(workflow_id)
            if scope is not None:
                scope.cancel()
            return


async def _write_states(engine: Engine, workflow_id: str, published: Published) -> None:
    """Write each published state to the workflow's row, in the background of the run:
    the publishes made while a write is under way coalesce into the next write. A write
    that fails is tried again after ``poll`` seconds (the run does not stop for it)."""
    while True:
        await published.wake.wait()
        published.wake = trio.Event()
        try:
            await write_state(engine, workflow_id, published)
        except JournalError:  # the run goes on; the state is written at the next try
            published.pending = True
            await trio.sleep(engine.poll)
            published.wake.set()


async def write_state(engine: Engine, workflow_id: str, published: Published) -> None:
    """Write the latest published state if it is not written yet."""
    async with published.lock:
        if not published.pending:
            return
        published.pending = False
        await engine.store.set_state(workflow_id, engine.owner, published.text)


async def sweep(proc: actorkit.Process, engine: Engine, scope: trio.CancelScope) -> None:
    """Every lease period, resume the running workflows no node holds (a node died, or
    stopped and gave them up). Runs until ``scope`` is cancelled (at shutdown); a look at
    the journal that fails is logged and made again the next period (were the sweep to
    stop, the workflows of a node that dies later would wait for a restart)."""
    from .dispatcher import resume  # noqa: PLC0415 - the dispatcher imports this module

    with scope:
        while True:
            await trio.sleep(engine.lease)
            try:
                rows = await engine.store.unleased(engine.now())
            except JournalError as exc:
                log.warning("workflow_sweep_failed", database=engine.db, error=str(exc))
                continue
            for row in rows:
                if row.name in engine.workflows:
                    resume(proc.node, engine, row.id)


async def _one_run(
    proc: actorkit.Process, engine: Engine, workflow_id: str, published: Published
) -> bool:
    """Run the workflow's current run; True when it continues as new."""
    scope = engine.scopes[workflow_id]
    store = engine.store
    row = await store.workflow(workflow_id)
    if row is None or row.status != "running":
        return False
    history = await store.history(workflow_id, row.run)
    text = row.state if published.text is None else published.text  # after a continue-as-new
    state = None if text is None else decode(text)
    run = Run(workflow_id, row.run, history, state=state, pid=proc.pid, published=published)
    RUN.set(lowlevel.ref_of(proc), run)
    engine.runs[workflow_id] = run
    result: Any = None
    try:
        with scope:
            result = await engine.workflows[row.name](proc, *decode(row.args))
        if scope.cancelled_caught:
            if engine.stopping or workflow_id in engine.lost:
                return False
            await write_state(engine, workflow_id, published)
            await store.finish(workflow_id, "cancelled", None, CANCELLED)
            return False
        await write_state(engine, workflow_id, published)
        await store.finish(workflow_id, "completed", encode(result, "the workflow's result"), None)
    except ContinueAsNew as new:
        args = encode(new.new_args, "continue-as-new arguments")
        await store.continue_as_new(workflow_id, row.run, args)
        return True
    except Exception as exc:
        await write_state(engine, workflow_id, published)
        await store.finish(workflow_id, "failed", None, f"{type(exc).__name__}: {exc}")
    return False
