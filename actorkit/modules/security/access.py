"""How a command maps to an :class:`~.policy.Access`: the registry modules declare into.

``declare(Set, "store.set", lambda cmd: cmd.store)`` says what a command asks for. A command
with no declaration asks for ``<module>.<command>`` (``clock.sleep``) on the resource ``""``.
The mappings for the process, sql, store, function, contract and I/O modules ship in
:mod:`.mappings`; other modules declare their own with :func:`declare` (or
:func:`declare_mapper` for resource metadata).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from actorkit.lowlevel import HandlerContext, module_of

from .policy import Access

Mapper = Callable[[HandlerContext, Any], Access]
"""``mapper(ctx, cmd) -> Access``: what ``cmd``, run by ``ctx.caller``, asks for."""

_MAPPERS: dict[type, Mapper] = {}
_FALLBACK: dict[type, Access] = {}


def declare(cmd_type: type, action: str, resource: Callable[[Any], str] | None = None) -> None:
    """Map every ``cmd_type`` command to ``action`` on ``resource(cmd)`` (``""`` if None).

    A later declaration for the same type replaces the earlier one.
    """

    def mapper(_ctx: HandlerContext, cmd: Any) -> Access:
        return Access(action, "" if resource is None else resource(cmd))

    _MAPPERS[cmd_type] = mapper


def declare_mapper(cmd_type: type, mapper: Mapper) -> None:
    """Map ``cmd_type`` with a full ``mapper(ctx, cmd) -> Access`` (resource metadata too)."""
    _MAPPERS[cmd_type] = mapper


def access_of(ctx: HandlerContext, cmd: object) -> Access:
    """What ``cmd`` asks for: its declared mapping, or ``<module>.<command>`` on ``""``."""
    mapper = _MAPPERS.get(type(cmd))
    if mapper is not None:
        return mapper(ctx, cmd)
    found = _FALLBACK.get(type(cmd))
    if found is None:
        found = _FALLBACK[type(cmd)] = Access(generic_action(type(cmd)))
    return found


def generic_action(cmd_type: type) -> str:
    """``<module>.<command>`` in snake case: ``clock.sleep``, ``custom.translate_text``."""
    cid = getattr(cmd_type, "ID", None)
    module = module_of(cid) if isinstance(cid, int) else "custom"
    return f"{module}.{_snake(cmd_type.__name__)}"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
