"""The door for module authors, as ``trio.lowlevel`` is Trio's: everything a module needs
to declare commands, handle them, keep per-node state, hear about processes and post events
to them. The built-in modules use only this and the public API (``actorkit``,
``actorkit.errors``, ``actorkit.checks``); a test holds them to it.

- **Commands**: :func:`command`, :class:`Command`, :func:`declare_range`, :func:`command_id`.
- **Boot**: :class:`Component` (``load`` registers handlers, ``start``/``stop`` run services)
  and the :class:`Boot` they get. A module's handler table (:data:`HandlerTable`, its
  ``dispatcher.TABLE``) is registered one way: :func:`handlers` for a table-only component,
  ``boot.register_table(table)`` in a bigger ``load`` (once per node, so N named instances
  of a module can each load it).
- **Handlers**: ``handle(ctx, cmd, tag, receiver)`` with :class:`HandlerContext` and
  :class:`Receiver`; :func:`deadline_passed` is the error of a call whose deadline came
  first; :class:`Cancellable` is what ``ctx.cancel_with`` takes.
- **Other processes**: :class:`ProcessRef` (pid, alive, post / offer / deliver an event),
  from ``ctx.caller`` or ``ctx.lookup(pid_or_name)``; :func:`is_process_function`.
  ``ref.pid.node`` is the name of the node it runs on. A PID kept as text (a store key, a
  journal, a log line: ``str(pid)``, ``<node.serial>``) reads back with
  ``actorkit.PID.parse(text)``, a ``ValueError`` quoting the text if it is not one.
- **The process module** (IDs 1–9, the node is its backend): its commands :class:`Send`,
  :class:`Spawn`, :class:`Terminate`, :class:`CancelCommand` (``Cancel``, id=4, renamed here
  because :class:`Cancel` is the event it delivers), :class:`Monitor`, :class:`Unmonitor`,
  :class:`Link`, :class:`Unlink`, :class:`Exec`; :func:`handle_send`, the built-in message
  delivery that its table lists; and, for its other handlers, :func:`spawn_child`,
  :func:`link`, :func:`unlink`, :func:`monitor` and :func:`unmonitor` on
  :class:`ProcessRef` handles.
- **Events** a module may post: :class:`Event` subclasses of its own (``bounded = True`` for
  message-like ones), and the runtime's :class:`Message`, :class:`Exit`, :class:`RuntimeEvent`.
- **Per-node and per-process state**: :class:`NodeVar`, :class:`ProcessVar`.
- **Hooks**: exit hooks, spawn hooks (copy per-process state from parent to child),
  runtime-event listeners and shutdown hooks, added and removed with the functions below
  (no public mutable lists on ``Node``).
- **A per-process command seam**: :func:`add_seam` puts a :data:`Seam`
  ``seam(ctx, cmd, tag, receiver, next)`` between one process and the handlers of its
  commands (after the registry lookup, so test-kit fakes are what ``next`` runs): it may
  refuse a command, answer it itself, or hand it on and see the result first (a security
  scope, a workflow journal). :data:`Handler` is the shape of ``next``.
- **Other nodes**: :class:`Remote` is the router a node hands everything addressed to
  another node's PID (send, request, reply, monitor, link, cancel); the cluster installs
  one with :func:`set_remote` and :func:`remote_for` finds it for a target. What arrives from
  other nodes goes in through :class:`ProcessRef`, :func:`deliver_reply` (an answer to a
  request that may have timed out) and :func:`link_down` (a remote link's failure, with
  ``trap_links`` honoured).
- **Behaviours** (supervision, servers: processes built on the public API):
  :func:`trap_links` (Erlang's ``trap_exit``), :func:`parent_of`, :func:`lookup` and
  :func:`ref_of` for a :class:`ProcessRef`, and :func:`monitor_nowait` /
  :func:`demonitor_flush` to watch a process without a command (cleanup that neither blocks
  nor is cancelled), :func:`set_label` for what statistics and ``actorkit top`` show.
  :func:`hand_off` answers a request on the caller's turn by code that runs as the server
  (a :class:`HandOff`; :data:`PENDING` when the answer comes later), when
  :func:`may_hand_off` allows it (no seam on the caller): the ``Server`` direct hand-off.
"""

from .._api._boot import Boot, Component, HandlerTable, handlers
from .._api._context import Handler, HandlerContext, Seam
from .._api._process_commands import Cancel as CancelCommand
from .._api._process_commands import (
    Exec,
    Link,
    Monitor,
    Send,
    Spawn,
    Terminate,
    Unlink,
    Unmonitor,
)
from .._api._request import deliver_reply
from .._api._send import handle_send
from .._core._command import Command, command, command_id, declare_range, module_of
from .._core._events import Cancel, Completion, Event, Exit, LinkDown, Message, RuntimeEvent
from .._core._handler import Receiver, deadline_passed
from .._core._lifecycle import is_process_function
from .._core._proc_state import Cancellable
from .._core._ref import ProcessRef
from .._core._remote import Remote, remote_for
from ._behaviour import (
    demonitor_flush,
    link,
    lookup,
    monitor,
    monitor_nowait,
    parent_of,
    ref_of,
    set_label,
    spawn_child,
    trap_links,
    unlink,
    unmonitor,
)
from ._handoff import PENDING, HandOff, hand_off, may_hand_off
from ._hooks import (
    ExitHook,
    Listener,
    ShutdownHook,
    SpawnHook,
    add_exit_hook,
    add_listener,
    add_shutdown_hook,
    add_spawn_hook,
    remove_exit_hook,
    remove_listener,
    remove_shutdown_hook,
    remove_spawn_hook,
)
from ._nodevar import NodeVar
from ._remote import link_down, set_remote
from ._seam import ProcessVar, add_seam, remove_seam

__all__ = [
    "PENDING",
    "HandOff",
    "hand_off",
    "may_hand_off",
    "Remote",
    "deliver_reply",
    "link_down",
    "remote_for",
    "set_remote",
    "unmonitor",
    "unlink",
    "spawn_child",
    "monitor",
    "link",
    "handle_send",
    "remove_spawn_hook",
    "remove_seam",
    "add_spawn_hook",
    "add_seam",
    "SpawnHook",
    "Seam",
    "ProcessVar",
    "Handler",
    "Boot",
    "Cancel",
    "CancelCommand",
    "Cancellable",
    "Command",
    "Completion",
    "Component",
    "Event",
    "Exec",
    "Exit",
    "ExitHook",
    "HandlerContext",
    "HandlerTable",
    "Link",
    "LinkDown",
    "Listener",
    "Message",
    "Monitor",
    "NodeVar",
    "ProcessRef",
    "Receiver",
    "RuntimeEvent",
    "Send",
    "ShutdownHook",
    "Spawn",
    "Terminate",
    "Unlink",
    "Unmonitor",
    "add_exit_hook",
    "add_listener",
    "add_shutdown_hook",
    "command",
    "command_id",
    "declare_range",
    "deadline_passed",
    "demonitor_flush",
    "handlers",
    "is_process_function",
    "lookup",
    "module_of",
    "monitor_nowait",
    "parent_of",
    "ref_of",
    "remove_exit_hook",
    "remove_listener",
    "remove_shutdown_hook",
    "set_label",
    "trap_links",
]
