"""The shipped mappings: process, sql, store and function commands to actions.

| commands | action | resource |
| --- | --- | --- |
| process Send | ``process.send`` | the receiver's registered name, else its PID |
| Terminate, Cancel, Monitor, Unmonitor, Link, Unlink | ``process.<command>`` | the same |
| Spawn, Exec | ``process.spawn`` / ``process.exec`` | the function's qualified name |
| sql Query, Execute, Prepare, Begin | ``sql.<command>`` | the database |
| store Get … Info | ``store.<command>`` | the store |
| function Call, AsyncStart | ``function.call`` | the function's registered name |
| contract Open | ``contract.open`` | the contract |
| contract Call, AsyncCall | ``contract.call`` | ``<contract>.<method>`` |

A PID that belongs to a named process maps to its name, so a rule about a name cannot be
got round by sending to the PID.
"""

from __future__ import annotations

from typing import Any

from actorkit.lowlevel import HandlerContext
from actorkit.modules import contract, function, process, sql, store

from .access import declare, declare_mapper, generic_action
from .policy import Access


def target(ctx: HandlerContext, dest: object) -> str:
    """The resource a process is known by: its registered name, else its PID as text."""
    if isinstance(dest, str):
        return dest
    found = ctx.lookup(dest)  # type: ignore[arg-type]
    if found is not None and found.name is not None:
        return found.name
    return str(dest)


def _on_target(action: str) -> Any:
    def mapper(ctx: HandlerContext, cmd: Any) -> Access:
        dest = cmd.dest if isinstance(cmd, process.Send) else cmd.pid
        return Access(action, target(ctx, dest))

    return mapper


def _contract_method(cmd: Any) -> str:
    target = cmd.target
    name = target.contract if isinstance(target, contract.Handle) else target
    return f"{name}.{cmd.method}"


def _function_name(cmd: Any) -> str:
    fn = cmd.fn
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def install() -> None:
    """Declare the shipped mappings (idempotent)."""
    targets: tuple[type, ...] = (
        process.Send,
        process.Terminate,
        process.Cancel,
        process.Monitor,
        process.Unmonitor,
        process.Link,
        process.Unlink,
    )
    for cls in targets:
        declare_mapper(cls, _on_target(generic_action(cls)))
    declare(process.Spawn, "process.spawn", _function_name)
    declare(process.Exec, "process.exec", _function_name)
    databases: tuple[type, ...] = (sql.Query, sql.Execute, sql.Prepare, sql.Begin)
    for cls in databases:
        declare(cls, generic_action(cls), lambda cmd: cmd.db)
    stores: tuple[type, ...] = (
        store.Get,
        store.Set,
        store.Delete,
        store.Has,
        store.Entry,
        store.List,
        store.Put,
        store.Info,
    )
    for cls in stores:
        declare(cls, generic_action(cls), lambda cmd: cmd.store)
    declare(function.Call, "function.call", lambda cmd: cmd.name)
    declare(function.AsyncStart, "function.call", lambda cmd: cmd.name)
    declare(contract.Open, "contract.open", lambda cmd: cmd.contract)
    declare(contract.Call, "contract.call", _contract_method)
    declare(contract.AsyncCall, "contract.call", _contract_method)
