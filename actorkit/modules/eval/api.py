"""The Lua API of a Lua process: each function yields a command that the node runs.

A Lua call such as ``store.get("cache", "k")`` yields its name and arguments to the host;
the host builds the Python command (``store.Get("cache", "k")``), checks it against the
program's ``allow`` list, runs it with ``proc.call`` (so the registry, the process's
seams, test-kit fakes and cancellation apply as for a Python process) and resumes the
coroutine with the result. A failed command resumes it with ``nil, message``.
``process.self`` and ``process.receive`` touch only the process's own mailbox and are
always available.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from actorkit import Command, lowlevel
from actorkit.modules import clock, function, sql, store

from .values import to_dest


def _done(_: object) -> object:
    return True


def _same(value: object) -> object:
    return value


def _rows(rows: sql.Rows) -> object:
    return [dict(zip(rows.columns, row, strict=True)) for row in rows.rows]


def _exec_result(result: sql.ExecResult) -> object:
    return {"rows_affected": result.rows_affected, "last_insert_id": result.last_insert_id}


def _item(item: store.Item | None) -> object:
    if item is None:
        return None
    return {"value": item.value, "version": item.version, "expires_in": item.expires_in}


@attrs.frozen
class Entry:
    """One API function: how to build its command and how its result reaches Lua."""

    build: Callable[..., Command[Any]]
    shape: Callable[[Any], object] = _same


def _send(dest: object, topic: str, payload: object = None) -> Command[Any]:
    return lowlevel.Send(to_dest(dest), topic, payload)


def _store_set(name: str, key: str, value: object, ttl: float | None = None) -> Command[Any]:
    return store.Set(name, key, value, ttl=ttl)


def _call(name: str, *args: object) -> Command[Any]:
    return function.Call(name, args)


def _on_pid(cls: Callable[..., Command[Any]]) -> Callable[..., Command[Any]]:
    def build(pid: object, *rest: object) -> Command[Any]:
        return cls(to_dest(pid), *rest)

    return build


COMMANDS: dict[str, Entry] = {
    "process.send": Entry(_send, _done),
    "process.link": Entry(_on_pid(lowlevel.Link), _done),
    "process.unlink": Entry(_on_pid(lowlevel.Unlink), _done),
    "process.monitor": Entry(_on_pid(lowlevel.Monitor), _done),
    "process.unmonitor": Entry(_on_pid(lowlevel.Unmonitor)),
    "process.terminate": Entry(_on_pid(lowlevel.Terminate)),
    "process.cancel": Entry(_on_pid(lowlevel.CancelCommand), _done),
    "clock.sleep": Entry(clock.Sleep, _done),
    "store.get": Entry(store.Get),
    "store.set": Entry(_store_set),
    "store.delete": Entry(store.Delete),
    "store.has": Entry(store.Has),
    "store.entry": Entry(store.Entry, _item),
    "sql.query": Entry(sql.Query, _rows),
    "sql.execute": Entry(sql.Execute, _exec_result),
    "funcs.call": Entry(_call),
}
"""The command functions of the Lua API, by their Lua name."""

LOCAL = ("process.self", "process.receive")
"""API functions the host answers itself (the process's own PID and mailbox)."""

NAMES = (*COMMANDS, *LOCAL)
"""Every Lua API function name."""
