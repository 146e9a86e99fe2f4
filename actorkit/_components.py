"""Booting a node from its components, for ``open_node``.

Load runs in dependency order and registers handlers; then the registry is frozen; then
start runs in the same order; stop runs in reverse, for every component that started,
even when a later one failed to start.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import structlog
import trio

from ._api._boot import Boot, Component
from .errors import BootError

log = structlog.get_logger("actorkit.boot")


def order(components: Iterable[Component]) -> list[Component]:
    """Dependencies first, otherwise in the given order.

    Raises:
        BootError: a duplicate name, a missing dependency, or a cycle (named in full).
    """
    by_name: dict[str, Component] = {}
    for comp in components:
        if by_name.get(comp.name) is comp:
            continue  # the same component listed twice (the process module, say) boots once
        if comp.name in by_name:
            raise BootError(f"two components are named {comp.name!r}")
        by_name[comp.name] = comp
    for comp in by_name.values():
        for dep in comp.depends_on:
            if dep not in by_name:
                raise BootError(f"component {comp.name!r} depends on {dep!r}, which is not booted")
    done: list[Component] = []
    state: dict[str, int] = {}
    for comp in by_name.values():
        _visit(comp, by_name, state, done, [])
    return done


def _visit(
    comp: Component,
    by_name: dict[str, Component],
    state: dict[str, int],
    done: list[Component],
    path: list[str],
) -> None:
    mark = state.get(comp.name, 0)
    if mark == 2:
        return
    if mark == 1:
        cycle = [*path[path.index(comp.name) :], comp.name]
        raise BootError(f"dependency cycle: {' -> '.join(cycle)}")
    state[comp.name] = 1
    for dep in comp.depends_on:
        _visit(by_name[dep], by_name, state, done, [*path, comp.name])
    state[comp.name] = 2
    done.append(comp)


def load_all(boot: Boot, components: Sequence[Component]) -> None:
    """Run every ``load`` in order, then freeze the registry."""
    for comp in components:
        if comp.load is None:
            continue
        boot.component = comp.name
        try:
            comp.load(boot)
        except Exception as exc:
            raise BootError(f"component {comp.name!r} failed to load: {exc}") from exc
    boot.component = ""
    boot.node.registry.freeze()


async def start_all(boot: Boot, components: Sequence[Component]) -> list[Component]:
    """Run every ``start`` in order; on failure stop the started ones and raise BootError."""
    started: list[Component] = []
    for comp in components:
        try:
            if comp.start is not None:
                await comp.start(boot)
        except Exception as exc:
            await stop_all(boot, started)
            raise BootError(f"component {comp.name!r} failed to start: {exc}") from exc
        started.append(comp)
        boot.node.emit("boot", "started", comp.name)
    return started


async def stop_all(boot: Boot, started: Sequence[Component]) -> None:
    """Run ``stop`` in reverse order, shielded; every component gets its turn."""
    failures: list[Exception] = []
    with trio.CancelScope(shield=True):
        for comp in reversed(started):
            if comp.stop is None:
                continue
            try:
                await comp.stop(boot)
            except Exception as exc:
                log.exception("component_stop_failed", component=comp.name)
                failures.append(exc)
            else:
                boot.node.emit("boot", "stopped", comp.name)
    if failures:
        raise BootError(f"{len(failures)} component(s) failed to stop") from failures[0]
