"""Typed per-node state for modules, as ``trio.lowlevel.RunVar`` is per run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

if TYPE_CHECKING:
    from .._api._node import Node

T = TypeVar("T")


class NodeVar(Generic[T]):
    """One typed slot of state on every node: ``STORES = NodeVar[dict[str, Backend]]("store")``.

    The variable object itself is the key, so two modules can never collide on a name and
    nobody needs a cast. Set it at boot (a component's ``load`` or ``start``); read it in
    handlers through ``ctx.node``.
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"<NodeVar {self.name!r}>"

    def get(self, node: Node) -> T:
        """The value on ``node``; ``LookupError`` naming the variable if it was never set."""
        try:
            return cast("T", node._vars[self])  # pyright: ignore[reportPrivateUsage]
        except KeyError:
            raise LookupError(f"{self!r} is not set on node {node.name!r}") from None

    def find(self, node: Node) -> T | None:
        """The value on ``node``, or None if it was never set."""
        return cast("T | None", node._vars.get(self))  # pyright: ignore[reportPrivateUsage]

    def setdefault(self, node: Node, factory: Callable[[], T]) -> T:
        """The value on ``node``, set to ``factory()`` first if there is none."""
        found = self.find(node)
        if found is None:
            found = factory()
            self.set(node, found)
        return found

    def set(self, node: Node, value: T) -> None:
        """Give the variable a value on ``node``."""
        node._vars[self] = value  # pyright: ignore[reportPrivateUsage]

    def reset(self, node: Node) -> None:
        """Remove the value from ``node`` (a component's ``stop``)."""
        node._vars.pop(self, None)  # pyright: ignore[reportPrivateUsage]
