"""exec handlers: one per command, each finding the caller's OS process in the node's table."""

from __future__ import annotations

import trio

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable

from .commands import ProcessWait, Signal, Start, Stop
from .handles import ExitStatus, OSProcess
from .state import table

_WAIT, _START, _SIGNAL, _STOP = label(ProcessWait), label(Start), label(Signal), label(Stop)


async def handle_wait(ctx: HandlerContext, cmd: ProcessWait) -> ExitStatus:
    """Wait for the OS process to exit."""
    child = table(ctx.node, _WAIT).get(ctx, cmd.process, _WAIT)
    return ExitStatus(await child.process.wait())


async def handle_start(ctx: HandlerContext, cmd: Start) -> OSProcess:
    """Start an allowed executable for the caller."""
    return await table(ctx.node, _START).start(ctx, cmd, _START)


async def handle_signal(ctx: HandlerContext, cmd: Signal) -> bool:
    """Send a signal; False if the process had exited."""
    child = table(ctx.node, _SIGNAL).get(ctx, cmd.process, _SIGNAL)
    await trio.lowlevel.checkpoint()
    if child.process.poll() is not None:
        return False
    child.process.send_signal(cmd.signum)
    return True


async def handle_stop(ctx: HandlerContext, cmd: Stop) -> ExitStatus:
    """SIGTERM, then SIGKILL after the grace period."""
    exec_table = table(ctx.node, _STOP)
    child = exec_table.get(ctx, cmd.process, _STOP)
    # Cancelled midway, the child stays owned: its owner's exit still stops and reaps it.
    return await exec_table.stop(child, cmd.grace)


TABLE: HandlerTable = {
    ProcessWait: handle_wait,
    Start: handle_start,
    Signal: handle_signal,
    Stop: handle_stop,
}
