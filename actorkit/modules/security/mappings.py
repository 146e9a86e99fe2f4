"""The shipped mappings: process, sql, store, function, contract and the I/O modules'
commands to actions.

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
| http Request | ``http.request`` | the URL's host, lower case, without the port |
| http RequestBatch | ``http.request`` | each request's host |
| websocket Connect | ``websocket.connect`` | the URL's host |
| exec Start | ``exec.start`` | the executable, ``argv[0]`` as given |
| exec Signal, Stop, ProcessWait | ``exec.control`` | the OS process's executable |
| cloudstorage UploadObject, DownloadObject, HeadObject | ``cloudstorage.<verb>`` |
  ``<storage>/<key>`` |
| cloudstorage PresignedGetURL, PresignedPutURL | ``cloudstorage.presign`` | the same |
| cloudstorage ListObjects | ``cloudstorage.list`` | ``<storage>/<prefix>`` |
| cloudstorage DeleteObjects | ``cloudstorage.delete`` | each ``<storage>/<key>`` |
| eval Compile, Run, CreateProcess | ``eval.compile``, ``eval.run``, ``eval.spawn`` | the
  program's name (``program`` for plain source) |
| workflow Start | ``workflow.start`` | the workflow's name |
| workflow Signal, Cancel | ``workflow.signal``, ``workflow.cancel`` | the workflow id |

A PID that belongs to a named process maps to its name, so a rule about a name cannot be
got round by sending to the PID. A command on several resources (``RequestBatch``,
``DeleteObjects``) is refused as a whole when any one of them is refused, naming that one.

The I/O modules are imported when the mappings are installed, not before; one that cannot
be imported (its optional dependency, such as httpx or lupa, is missing) cannot have
commands sent either, and its mappings are skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

from actorkit.lowlevel import HandlerContext
from actorkit.modules import contract, function, process, sql, store

from .access import Mapper, declare, declare_mapper, generic_action
from .identity import IDENTITY
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
    for part in (_http, _websocket, _exec, _cloudstorage, _eval, _workflow):
        part()


def optional_module(name: str) -> ModuleType | None:
    """``actorkit.modules.<name>``, or None when its optional dependencies are missing."""
    try:
        return importlib.import_module(f"actorkit.modules.{name}")
    except ImportError:
        return None


def host(url: str) -> str:
    """The host a URL names, lower case, without port or user (``""`` if it has none)."""
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def each(action: str, resources: Callable[[Any], Sequence[str]]) -> Mapper:
    """A mapper for a command on several resources: the first the caller may not have
    ``action`` on, else the first one, so one refusal refuses the whole command."""

    def mapper(ctx: HandlerContext, cmd: Any) -> Access:
        found = [Access(action, resource) for resource in resources(cmd)]
        ident = IDENTITY.find(ctx.caller)
        refused = [a for a in found if ident is not None and not ident.allows(a)]
        if refused:
            return refused[0]
        return found[0] if found else Access(action)

    return mapper


def _http() -> None:
    http = optional_module("http")
    if http is not None:
        declare(http.Request, "http.request", lambda cmd: host(cmd.url))
        hosts = each("http.request", lambda cmd: [host(r.url) for r in cmd.requests])
        declare_mapper(http.RequestBatch, hosts)


def _websocket() -> None:
    websocket = optional_module("websocket")
    if websocket is not None:
        declare(websocket.Connect, "websocket.connect", lambda cmd: host(cmd.url))


def _exec() -> None:
    exec_ = optional_module("exec")
    if exec_ is not None:
        declare(exec_.Start, "exec.start", lambda cmd: cmd.argv[0])
        for cls in (exec_.Signal, exec_.Stop, exec_.ProcessWait):
            declare(cls, "exec.control", lambda cmd: cmd.process.executable)


def _cloudstorage() -> None:
    cs = optional_module("cloudstorage")
    if cs is None:
        return
    keyed: dict[type, str] = {
        cs.UploadObject: "cloudstorage.upload",
        cs.DownloadObject: "cloudstorage.download",
        cs.HeadObject: "cloudstorage.head",
        cs.PresignedGetURL: "cloudstorage.presign",
        cs.PresignedPutURL: "cloudstorage.presign",
    }
    for cls, action in keyed.items():
        declare(cls, action, lambda cmd: f"{cmd.storage}/{cmd.key}")
    declare(cs.ListObjects, "cloudstorage.list", lambda cmd: f"{cmd.storage}/{cmd.prefix}")
    keys = each("cloudstorage.delete", lambda cmd: [f"{cmd.storage}/{k}" for k in cmd.keys])
    declare_mapper(cs.DeleteObjects, keys)


def _program_name(cmd: Any) -> str:
    program = cmd.program
    return "program" if isinstance(program, str) else str(program.name)


def _eval() -> None:
    eval_ = optional_module("eval")
    if eval_ is not None:
        declare(eval_.Compile, "eval.compile", lambda cmd: cmd.name)
        declare(eval_.Run, "eval.run", _program_name)
        declare(eval_.CreateProcess, "eval.spawn", _program_name)


def _workflow() -> None:
    workflow = optional_module("workflow")
    if workflow is not None:
        declare(workflow.Start, "workflow.start", lambda cmd: cmd.workflow)
        declare(workflow.Signal, "workflow.signal", lambda cmd: cmd.workflow_id)
        declare(workflow.Cancel, "workflow.cancel", lambda cmd: cmd.workflow_id)
