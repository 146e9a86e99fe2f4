"""Boot components: each declared database is one component, named ``sql.<name>``.

The first sql component to load registers the module's handlers; the database is put
in the node's table at load, opened at start and closed at stop (after every process
has exited and rolled back).
"""

from __future__ import annotations

from collections.abc import Callable

from actorkit.errors import BootError
from actorkit.lowlevel import Boot, Component

from ._database import Database
from .backends._base import Backend
from .commands import Query
from .dispatcher import databases, register_all


def ensure_handlers(boot: Boot) -> None:
    """Register the sql handlers unless another sql component did."""
    if boot.node.registry.owner(Query.ID) is None:
        register_all(boot.register)


def handlers_only() -> Component:
    """The sql handlers with no database (for tests that fake the commands)."""
    return Component("sql", load=ensure_handlers)


def database(name: str, make_backend: Callable[[], Backend]) -> Component:
    """The component of one database; ``make_backend`` runs at load."""

    def load(boot: Boot) -> None:
        ensure_handlers(boot)
        table = databases(boot.node)
        if name in table:
            raise BootError(f"two sql databases are named {name!r}")
        table[name] = Database(name, make_backend())

    async def start(boot: Boot) -> None:
        await databases(boot.node)[name].open()

    async def stop(boot: Boot) -> None:
        await databases(boot.node).pop(name).close()

    return Component(f"sql.{name}", load=load, start=start, stop=stop)
