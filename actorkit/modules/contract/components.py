"""The boot factory ``contract.module(...)`` and :func:`bind` / :func:`unbind` at run time."""

from __future__ import annotations

from collections.abc import Iterable

import actorkit
from actorkit.lowlevel import Boot, Component

from .bindings import Binding
from .dispatcher import TABLE
from .spec import Contract
from .state import REGISTRY, Registry


def module(contracts: Iterable[Contract] = (), bindings: Iterable[Binding] = ()) -> Component:
    """The contract module, with ``contracts`` and their ``bindings`` (more with :func:`bind`).

    Raises:
        ValueError: a binding names an unknown contract, or a functions binding lacks a
            method (found here, when the program declares the module).
    """
    known = list(contracts)
    bound = list(bindings)
    _registry(known, bound)  # check now

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        REGISTRY.set(boot.node, _registry(known, bound))

    async def stop(boot: Boot) -> None:
        REGISTRY.reset(boot.node)

    return Component("contract", load=load, start=start, stop=stop)


def _registry(contracts: list[Contract], bindings: list[Binding]) -> Registry:
    registry = Registry({c.name: c for c in contracts})
    for binding in bindings:
        try:
            registry.add(binding)
        except LookupError as exc:
            raise ValueError(f"contract.module: {exc}") from exc
    return registry


def bind(node: actorkit.Node, binding: Binding) -> None:
    """Add ``binding`` on ``node`` (a process started after boot, say); replaces a
    binding with the same name. Not a checkpoint."""
    REGISTRY.get(node).add(binding)


def unbind(node: actorkit.Node, contract: str, name: str) -> bool:
    """Remove the binding ``name`` of ``contract``; True if there was one."""
    found = REGISTRY.get(node).bindings.get(contract, [])
    before = len(found)
    found[:] = [b for b in found if b.name != name]
    return len(found) != before
