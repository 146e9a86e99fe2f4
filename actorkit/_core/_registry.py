"""The command registry: a 256-slot list for system IDs, a dict above, frozen after boot."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import CommandRangeError, CommandTakenError, RegistryFrozenError

if TYPE_CHECKING:
    from ._handler import Handler

SYSTEM_SLOTS = 256


class Registry:
    """Maps command IDs to handlers. Lookups are a list index (ID < 256) or a dict get."""

    __slots__ = ("_extended", "_frozen", "_owners", "system")

    def __init__(self) -> None:
        self.system: list[Handler | None] = [None] * SYSTEM_SLOTS  # read-only to others
        self._extended: dict[int, Handler] = {}
        self._owners: dict[int, str] = {}
        self._frozen = False

    @property
    def frozen(self) -> bool:
        """True once boot has finished; registering then raises."""
        return self._frozen

    def freeze(self) -> None:
        """Stop accepting registrations (done by the node after every component loaded)."""
        self._frozen = True

    def register(self, command_id: int, handler: Handler, *, owner: str) -> None:
        """Bind ``handler`` to ``command_id`` for the component ``owner``.

        Raises:
            RegistryFrozenError: boot has finished.
            CommandTakenError: the ID already has a handler (the message names both owners).
        """
        if self._frozen:
            raise RegistryFrozenError(
                f"{owner!r} cannot register id {command_id}: the registry is frozen after boot"
            )
        taken = self._owners.get(command_id)
        if taken is not None:
            raise CommandTakenError(
                f"command id {command_id} is already handled by {taken!r}; "
                f"{owner!r} cannot register it"
            )
        self._put(command_id, handler, owner)

    def replace(self, command_id: int, handler: Handler, *, owner: str) -> None:
        """Swap the handler for ``command_id`` even after the freeze (the test kit's fakes)."""
        self._put(command_id, handler, owner)

    def _put(self, command_id: int, handler: Handler, owner: str) -> None:
        if command_id < 0:
            raise CommandRangeError(f"{owner!r} cannot register id {command_id}: IDs are >= 0")
        if command_id < SYSTEM_SLOTS:
            self.system[command_id] = handler
        else:
            self._extended[command_id] = handler
        self._owners[command_id] = owner

    def get(self, command_id: int) -> Handler | None:
        """The handler for ``command_id``, or None."""
        if 0 <= command_id < SYSTEM_SLOTS:
            return self.system[command_id]
        return self._extended.get(command_id)

    def owner(self, command_id: int) -> str | None:
        """The component that registered ``command_id``."""
        return self._owners.get(command_id)

    def ids(self) -> list[int]:
        """Every registered ID, sorted."""
        return sorted(self._owners)
