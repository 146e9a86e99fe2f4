"""Typed hooks a module adds to a node and removes again (as ``trio.lowlevel.add_instrument``).

- an **exit hook** ``fn(proc, result, error)`` runs, synchronously, as each process exits,
  after its links and monitors are told (it must not block or raise);
- a **listener** ``fn(event)`` gets every :class:`RuntimeEvent` (process started / exited,
  dead letters, supervisor restarts …) as it happens (it must not block or raise);
- a **spawn hook** ``fn(parent, child)`` runs as each process is made, before its function
  starts (``parent`` is None for one the node spawned): copy per-process state, such as a
  security scope, from parent to child (it must not block or raise);
- a **shutdown hook** ``async fn()`` runs when the node shuts down, before the remaining
  processes are cancelled, most recently added first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._core._node import ExitHook, Listener, ShutdownHook, SpawnHook

if TYPE_CHECKING:
    from .._api._node import Node

__all__ = [
    "ExitHook",
    "Listener",
    "ShutdownHook",
    "SpawnHook",
    "add_exit_hook",
    "add_listener",
    "add_shutdown_hook",
    "add_spawn_hook",
    "remove_exit_hook",
    "remove_listener",
    "remove_shutdown_hook",
    "remove_spawn_hook",
]


def add_exit_hook(node: Node, hook: ExitHook) -> None:
    """Call ``hook(proc, result, error)`` whenever a process of ``node`` exits."""
    node._exit_hooks.append(hook)  # pyright: ignore[reportPrivateUsage]


def remove_exit_hook(node: Node, hook: ExitHook) -> None:
    """Undo :func:`add_exit_hook`; ``ValueError`` if ``hook`` was not added."""
    node._exit_hooks.remove(hook)  # pyright: ignore[reportPrivateUsage]


def add_listener(node: Node, listener: Listener) -> None:
    """Give ``listener`` every runtime event of ``node``."""
    node._listeners.append(listener)  # pyright: ignore[reportPrivateUsage]


def remove_listener(node: Node, listener: Listener) -> None:
    """Undo :func:`add_listener`; ``ValueError`` if ``listener`` was not added."""
    node._listeners.remove(listener)  # pyright: ignore[reportPrivateUsage]


def add_shutdown_hook(node: Node, hook: ShutdownHook) -> None:
    """Await ``hook()`` when ``node`` shuts down (last added, first run)."""
    node._shutdown_hooks.append(hook)  # pyright: ignore[reportPrivateUsage]


def remove_shutdown_hook(node: Node, hook: ShutdownHook) -> None:
    """Undo :func:`add_shutdown_hook`; ``ValueError`` if ``hook`` was not added."""
    node._shutdown_hooks.remove(hook)  # pyright: ignore[reportPrivateUsage]


def add_spawn_hook(node: Node, hook: SpawnHook) -> None:
    """Call ``hook(parent, child)`` as each process of ``node`` is made, before it runs."""
    node._spawn_hooks.append(hook)  # pyright: ignore[reportPrivateUsage]


def remove_spawn_hook(node: Node, hook: SpawnHook) -> None:
    """Undo :func:`add_spawn_hook`; ``ValueError`` if ``hook`` was not added."""
    node._spawn_hooks.remove(hook)  # pyright: ignore[reportPrivateUsage]
