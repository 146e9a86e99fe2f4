"""Lua processes: a Python process function that drives a Lua coroutine.

The coroutine runs until it yields a command through the Lua API (:mod:`.api`); the host
runs the command with ``proc.call`` and resumes the coroutine with the result, so a Lua
process is a process like any other: a PID, a mailbox, links, monitors, a name, and every
effect a command. Each stretch of Lua code between two yields runs under the program's
instruction and wall-clock limits: it blocks the Trio loop for at most that long.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import trio

import actorkit
from actorkit import Command, lowlevel
from actorkit.checks import is_number
from actorkit.errors import CancelRequested, ExitSignal

from .api import COMMANDS, NAMES
from .errors import EvalPermissionError, EvalValueError
from .program import Program, as_program
from .sandbox import Sandbox
from .values import crossable, to_python

_EVENTS = (actorkit.Message, actorkit.Exit, actorkit.LinkDown)


async def lua_process(
    proc: actorkit.Process,
    program: Program | str,
    function: str | None = None,
    args: Sequence[object] = (),
) -> Any:
    """Run ``program`` as this process (``function`` with ``args``, or the chunk itself).

    A process function: spawn it (``proc.spawn(eval.lua_process, program)``), put it under
    a supervisor (``ChildSpec("worker", eval.lua_process, (program, "main"))``) or start it
    with the ``CreateProcess`` command. Its return value is the Lua result by the value
    mapping; a Lua error, a limit or a refused command ends it with that ``EvalError``.
    """
    prog = as_program(program)
    lowlevel.set_label(proc, f"lua:{prog.name}")
    sandbox = Sandbox(prog.options, NAMES)
    try:
        sandbox.start(sandbox.load(prog.source, prog.name), function)
        step = sandbox.resume(tuple(args))
        while step[0] == "yield":
            reply = await _perform(proc, prog, step[1], step[2:])
            step = sandbox.resume(reply)
        return step[1]
    finally:
        sandbox.close()


async def _perform(
    proc: actorkit.Process, prog: Program, name: object, raw: tuple[Any, ...]
) -> tuple[object, ...]:
    """Run one yielded API call; ``(result,)`` or ``(None, message)``."""
    call = name.decode(errors="replace") if type(name) is bytes else repr(name)
    try:
        args = [to_python(a, "text") for a in raw]  # names and topics are text in any mode
    except EvalValueError as exc:
        return await _failed(f"{call}: {exc}")
    if call == "process.self":
        await trio.lowlevel.checkpoint()  # a Lua loop of local calls must not starve others
        return (str(proc.pid),)
    if call == "process.receive":
        return await _receive(proc, *args)
    return await _command(proc, prog, call, args)


async def _command(
    proc: actorkit.Process, prog: Program, call: str, args: list[Any]
) -> tuple[object, ...]:
    """Build the call's command, check it is allowed and run it with ``proc.call``."""
    entry = COMMANDS.get(call)
    if entry is None:
        return await _failed(f"{call}: not a function of the Lua API")
    try:
        cmd = entry.build(*args)
    except (TypeError, ValueError) as exc:
        return await _failed(f"{call}: {exc}")
    _check_allowed(prog, call, cmd)
    try:
        return (entry.shape(await proc.call(cmd)),)
    except (ExitSignal, CancelRequested):
        raise
    except Exception as exc:  # the command's error is the program's to handle (Wippy's way)
        return (None, f"{call}: {exc}")


async def _failed(message: str) -> tuple[object, ...]:
    """``(nil, message)`` for a call that ran no command (after a checkpoint, so a Lua loop
    of failing calls cannot starve other tasks)."""
    await trio.lowlevel.checkpoint()
    return (None, message)


def _check_allowed(prog: Program, call: str, cmd: Command[Any]) -> None:
    cid: int = type(cmd).ID  # pyright: ignore[reportAttributeAccessIssue]
    if cid not in prog.options.allow:
        raise EvalPermissionError(
            f"{prog.name}: {call} yields {type(cmd).__name__} (id={cid}), "
            "which the program's allow list does not hold"
        )


async def _receive(
    proc: actorkit.Process, topic: object = None, timeout: object = None
) -> tuple[object, ...]:
    """``process.receive([topic [, timeout]])``: a message (or, without a topic, an exit)."""
    if (topic is not None and type(topic) is not str) or not (
        timeout is None or is_number(timeout)
    ):
        return await _failed("process.receive: takes an optional topic and timeout (seconds)")
    wait = None if timeout is None else float(timeout)  # type: ignore[arg-type]
    try:
        if topic is None:
            event = await proc.receive(kind=_EVENTS, timeout=wait)
        else:
            event = await proc.receive(topic, timeout=wait)
    except trio.TooSlowError:
        return (None, "timeout")
    except ValueError as exc:
        return (None, f"process.receive: {exc}")
    return (_event(event),)


def _event(event: actorkit.Event) -> dict[str, object]:
    if isinstance(event, actorkit.Message):
        sender = None if event.sender is None else str(event.sender)
        return _table(
            kind="message", topic=event.topic, payload=_lenient(event.payload), sender=sender
        )
    if isinstance(event, actorkit.Exit):
        return _table(
            kind="exit", pid=str(event.pid), result=_lenient(event.result),
            error=_error(event.error), reason=event.reason,
        )  # fmt: skip
    assert isinstance(event, actorkit.LinkDown)
    return _table(kind="link_down", pid=str(event.pid), error=_error(event.error))


def _table(**fields: object) -> dict[str, object]:
    return {k: v for k, v in fields.items() if v is not None}


def _error(error: BaseException | None) -> str | None:
    return None if error is None else f"{type(error).__name__}: {error}"


def _lenient(value: object) -> object:
    """A value for Lua: as the mapping gives it, or its repr if it cannot cross."""
    return value if crossable(value) else repr(value)
