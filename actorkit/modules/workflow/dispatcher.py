"""Handlers of the workflow commands (the live work; the journal seam does the replay)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import trio

from actorkit.checks import label
from actorkit.lowlevel import Command, HandlerTable

from .activity import Activity, is_transactional
from .codec import decode, encode
from .commands import (
    Call,
    Cancel,
    Describe,
    List,
    Receive,
    SideEffect,
    Signal,
    Start,
    UpsertAttrs,
    Version,
    WorkflowInfo,
)
from .errors import NotAllowedError, WorkflowError, WorkflowFailedError, WorkflowNotFoundError
from .journal import Entry, Row
from .runner import run_workflow
from .state import RUN, Engine, Run, engine

if TYPE_CHECKING:
    from actorkit import Node
    from actorkit.lowlevel import HandlerContext, Receiver


def handle_side_effect(ctx: HandlerContext, cmd: SideEffect, tag: int, rcv: Receiver) -> None:
    """Call the function inline; its value or its error goes through ``rcv``, so the seam
    journals either (an ``async def`` handler's error would go around the seam)."""
    try:
        value = cmd.fn()
    except Exception as exc:
        rcv.complete_yield(tag, None, exc)
        return
    rcv.complete_yield(tag, value, None)


async def handle_version(ctx: HandlerContext, cmd: Version) -> int:
    """Outside a workflow there is no journal: the newest version."""
    return cmd.max_supported


async def handle_upsert(ctx: HandlerContext, cmd: UpsertAttrs) -> None:
    """Merge the attributes into the calling workflow's row."""
    run = _run_of(ctx, "UpsertAttrs (id=183)")
    store = engine(ctx.node).store
    row = await _row(engine(ctx.node), run.workflow_id)
    await store.set_attributes(run.workflow_id, {**row.attributes, **cmd.attributes})


def handle_call(ctx: HandlerContext, cmd: Call, tag: int, rcv: Receiver) -> None:
    """Run the activity, command or child workflow as the work of the call."""
    ctx.start_soon(tag, _call, ctx, cmd, tag, rcv)


async def _call(ctx: HandlerContext, cmd: Call, tag: int, rcv: Receiver) -> None:
    eng = engine(ctx.node)
    if cmd.workflow_id is not None:
        rcv.complete_yield(tag, await _child(ctx.node, eng, cmd), None)
        return
    run = RUN.find(ctx.caller)
    position = None if run is None else run.positions.get(tag)
    for attempt in range(1, cmd.retry.attempts + 1):
        try:
            with trio.fail_after(math.inf if cmd.timeout is None else cmd.timeout):
                result = await _attempt(ctx, cmd, (run, position), attempt)
        except Exception as exc:
            if attempt == cmd.retry.attempts:  # through rcv: the failure is journaled
                rcv.complete_yield(tag, None, exc)
                return
            await trio.sleep(cmd.retry.delay(attempt))
        else:
            rcv.complete_yield(tag, result, None)
            return


async def _attempt(
    ctx: HandlerContext, cmd: Call, where: tuple[Run | None, int | None], attempt: int
) -> object:
    if isinstance(cmd.target, Command):
        async with ctx.node.process() as proc:
            return await proc.call(cmd.target)
    eng = engine(ctx.node)
    fn = eng.activities.get(cmd.target)
    if fn is None:
        raise WorkflowError(f"no activity named {cmd.target!r}", command=label(Call))
    run, position = where
    key = f"{ctx.pid}:{cmd.target}" if run is None else f"{run.workflow_id}:{run.run}:{position}"
    if not is_transactional(fn):
        return await fn(Activity(key, attempt), *cmd.args)
    async with eng.store.transaction() as session:
        result = await fn(Activity(key, attempt, session), *cmd.args)
        if run is not None and position is not None:
            sig = run.signatures[position]
            entry = Entry(sig, encode(result, sig), None)
            await eng.store.append(run.key(position), entry, session)
    if run is not None and position is not None:
        run.journaled.add(position)
    return result


async def _child(node: Node, eng: Engine, cmd: Call) -> object:
    assert cmd.workflow_id is not None
    await start(node, eng, Start(cmd.workflow_id, str(cmd.target), cmd.args))
    info = await describe(eng, cmd.workflow_id, wait=True)
    if info.status != "completed":
        raise WorkflowFailedError(info.workflow_id, info.status, info.error or "")
    return info.result


async def handle_start(ctx: HandlerContext, cmd: Start) -> WorkflowInfo:
    """Start the workflow unless its ID exists (then resume it if it stopped)."""
    return await start(ctx.node, engine(ctx.node), cmd)


async def start(node: Node, eng: Engine, cmd: Start) -> WorkflowInfo:
    """The work of ``Start``."""
    if cmd.workflow not in eng.workflows:
        raise WorkflowError(f"no workflow named {cmd.workflow!r}", command=label(Start))
    await eng.store.create(cmd.workflow_id, cmd.workflow, encode(cmd.args, "Start (id=184)"))
    row = await _row(eng, cmd.workflow_id)
    if row.status == "running":
        resume(node, eng, cmd.workflow_id)
    return _info(eng, row)


def resume(node: Node, eng: Engine, workflow_id: str) -> None:
    """Run the workflow in a process of this node, unless one runs it already."""
    if workflow_id in eng.scopes:
        return
    eng.scopes[workflow_id] = trio.CancelScope()
    node.spawn(run_workflow, eng, workflow_id)


async def handle_signal(ctx: HandlerContext, cmd: Signal) -> None:
    """Journal the signal and wake the workflow if it runs here."""
    eng = engine(ctx.node)
    await _row(eng, cmd.workflow_id)
    await eng.store.add_signal(cmd.workflow_id, cmd.name, encode(cmd.payload, "Signal (id=185)"))
    eng.notify(eng.signalled, cmd.workflow_id)


def handle_receive(ctx: HandlerContext, cmd: Receive, tag: int, rcv: Receiver) -> None:
    """Wait for the signal; it is consumed and journaled in one transaction."""
    run = _run_of(ctx, "Receive (id=186)")
    ctx.start_soon(tag, _receive, ctx, run, cmd, tag, rcv)


async def _receive(ctx: HandlerContext, run: Run, cmd: Receive, tag: int, rcv: Receiver) -> None:
    eng = engine(ctx.node)
    position = run.positions[tag]
    deadline = run.deadlines.pop(position, None)
    if deadline is not None and deadline.entry is not None:  # journaled before the wait
        await eng.store.append(run.key(position - 1), deadline.entry)
    while True:
        woken = eng.waiter(eng.signalled, run.workflow_id)
        sig = run.signatures[position]
        payload = await eng.store.take_signal(run.key(position), cmd.name, sig)
        if payload is not None:
            run.journaled.add(position)
            rcv.complete_yield(tag, decode(payload), None)
            return
        wait = eng.poll  # a signal sent through another node
        if deadline is not None:
            wait = min(wait, deadline.at - eng.now())
            if wait <= 0:  # through rcv: the timeout is journaled
                late = trio.TooSlowError(f"{label(Receive)}: no signal {cmd.name!r} in time")
                rcv.complete_yield(tag, None, late)
                return
        with trio.move_on_after(wait):
            await woken.wait()


async def handle_describe(ctx: HandlerContext, cmd: Describe) -> WorkflowInfo:
    """The workflow's info (once ended, with ``wait``)."""
    return await describe(engine(ctx.node), cmd.workflow_id, wait=cmd.wait)


async def describe(eng: Engine, workflow_id: str, *, wait: bool) -> WorkflowInfo:
    """The work of ``Describe``."""
    while True:
        ended = eng.waiter(eng.ended, workflow_id)
        row = await _row(eng, workflow_id)
        if not wait or row.status != "running":
            return _info(eng, row)
        with trio.move_on_after(eng.poll):  # it may run on another node
            await ended.wait()


async def handle_list(ctx: HandlerContext, cmd: List) -> list[WorkflowInfo]:
    """The workflows whose attributes match."""
    eng = engine(ctx.node)
    rows = await eng.store.workflows(cmd.status)
    where = dict(cmd.where)
    return [_info(eng, r) for r in rows if where.items() <= r.attributes.items()]


async def handle_cancel(ctx: HandlerContext, cmd: Cancel) -> bool:
    """Cancel the workflow's run here, or mark it cancelled if it runs nowhere here."""
    eng = engine(ctx.node)
    row = await _row(eng, cmd.workflow_id)
    if row.status != "running":
        return False
    scope = eng.scopes.get(cmd.workflow_id)
    if scope is not None:
        scope.cancel()
        await describe(eng, cmd.workflow_id, wait=True)
    else:
        await eng.store.finish(
            cmd.workflow_id, "cancelled", None, "Cancelled: cancelled by request"
        )
    return True


def _run_of(ctx: HandlerContext, what: str) -> Run:
    run = RUN.find(ctx.caller)
    if run is None:
        raise NotAllowedError(f"{what} runs only inside a workflow")
    return run


async def _row(eng: Engine, workflow_id: str) -> Row:
    row = await eng.store.workflow(workflow_id)
    if row is None:
        raise WorkflowNotFoundError(f"no workflow has the ID {workflow_id!r}")
    return row


def _info(eng: Engine, row: Row) -> WorkflowInfo:
    run = eng.runs.get(row.id)
    result: Any = None if row.result is None else decode(row.result)
    if run is not None:
        state: Any = run.state  # it runs here: the latest, maybe not written yet
    else:
        state = None if row.state is None else decode(row.state)
    return WorkflowInfo(
        row.id,
        row.name,
        row.status,
        row.run,
        row.attributes,
        result,
        row.error,
        state,
        None if run is None else run.pid,
    )


TABLE: HandlerTable = {
    SideEffect: handle_side_effect,
    Call: handle_call,
    Version: handle_version,
    UpsertAttrs: handle_upsert,
    Start: handle_start,
    Signal: handle_signal,
    Receive: handle_receive,
    Describe: handle_describe,
    List: handle_list,
    Cancel: handle_cancel,
}
