"""Eval handlers: Compile and Run complete inline, CreateProcess spawns a Lua process.

``Run`` runs Lua in the handler, in the caller's task: it blocks the Trio loop for as long
as the program runs, which its instruction and wall-clock limits (and the caller's deadline)
bound.
"""

from __future__ import annotations

import time

import trio

from actorkit import lowlevel
from actorkit.lowlevel import HandlerContext, Receiver

from .commands import Compile, CreateProcess, Run
from .process import lua_process
from .program import as_program, compile_program
from .sandbox import Sandbox


def handle_compile(ctx: HandlerContext, cmd: Compile, tag: int, receiver: Receiver) -> None:
    """Check the source; complete with the Program."""
    receiver.complete_yield(
        tag, compile_program(cmd.source, name=cmd.name, options=cmd.options), None
    )


def handle_run(ctx: HandlerContext, cmd: Run, tag: int, receiver: Receiver) -> None:
    """Run the program in a fresh sandbox, inline, under its limits and the caller's deadline."""
    program = as_program(cmd.program)
    sandbox = Sandbox(program.options)
    try:
        chunk = sandbox.load(program.source, program.name)
        result = sandbox.run(chunk, cmd.function, cmd.args, _wall_deadline(ctx.deadline))
    finally:
        sandbox.close()
    receiver.complete_yield(tag, result, None)


def _wall_deadline(deadline: float) -> float:
    """The caller's Trio deadline as a ``time.monotonic`` time."""
    if deadline == float("inf"):
        return deadline
    return time.monotonic() + max(0.0, deadline - trio.current_time())


def handle_create_process(
    ctx: HandlerContext, cmd: CreateProcess, tag: int, receiver: Receiver
) -> None:
    """Compile the program now (a compile error fails this call), then spawn the process."""
    child = lowlevel.spawn_child(
        ctx,
        lua_process,
        (as_program(cmd.program), cmd.function, cmd.args),
        link=cmd.link,
        monitor=cmd.monitor,
        name=cmd.name,
        mailbox_size=cmd.mailbox_size,
        trap_links=cmd.trap_links,
    )
    receiver.complete_yield(tag, child.pid, None)


TABLE: lowlevel.HandlerTable = {
    Compile: handle_compile,
    Run: handle_run,
    CreateProcess: handle_create_process,
}
