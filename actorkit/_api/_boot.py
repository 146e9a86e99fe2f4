"""Boot components: named units with dependencies that load, start and stop in order
(``actorkit/_components.py`` runs them for ``open_node``), and the :class:`Boot` they get."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import trio

from .._core._command import Command
from ._context import AsyncHandler, RawHandler, as_handler

if TYPE_CHECKING:
    from ._node import Node

C = TypeVar("C", bound=Command[object])
HandlerTable = Mapping[type[Command[Any]], AsyncHandler[Any] | RawHandler[Any]]
"""A module's handler table: each command type to its handler (``dispatcher.TABLE``)."""


class Boot:
    """What a component's load / start / stop functions get."""

    def __init__(self, node: Node, services: trio.Nursery) -> None:
        self.node = node
        self.services = services
        self.component = ""
        self._tables: list[HandlerTable] = []

    def register(self, cmd_type: type[C], handler: AsyncHandler[C] | RawHandler[C]) -> None:
        """Register the handler of ``cmd_type`` (an ``async def (ctx, cmd)`` or a raw one)."""
        self.node.registry.register(cmd_type.ID, as_handler(handler), owner=self.component)

    def register_table(self, table: HandlerTable) -> None:
        """Register every handler of ``table``, once per node: when N named instances of a
        module (``sql.main``, ``sql.logs``) load the same table, the first registers it."""
        if any(seen is table for seen in self._tables):
            return
        self._tables.append(table)
        for cmd_type, handler in table.items():
            self.register(cmd_type, handler)


BootFn = Callable[[Boot], None]
AsyncBootFn = Callable[[Boot], Awaitable[None]]


@attrs.frozen
class Component:
    """A unit of boot: ``load`` registers handlers, ``start`` / ``stop`` run services."""

    name: str
    depends_on: tuple[str, ...] = ()
    load: BootFn | None = None
    start: AsyncBootFn | None = None
    stop: AsyncBootFn | None = None


def handlers(name: str, table: HandlerTable) -> Component:
    """A component that only registers handlers: ``handlers("translate", {Translate: fn})``."""

    def load(boot: Boot) -> None:
        boot.register_table(table)

    return Component(name, load=load)
