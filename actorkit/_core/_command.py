"""Commands: plain frozen data with a class-level numeric ID.

A module declares its ID range when it is imported; ranges may not overlap, and each
command's ID must lie inside its module's range. IDs ≥ 256 are for user commands.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar, dataclass_transform

import attrs

from ..errors import CommandRangeError, CommandTakenError, NotACommandError

R_co = TypeVar("R_co", covariant=True)
C = TypeVar("C", bound=type)

CUSTOM_FIRST = 256
_ranges: dict[str, tuple[int, int]] = {"custom": (CUSTOM_FIRST, 65535)}
_classes: dict[int, type] = {}


class Command(Generic[R_co]):
    """Base class of commands; ``R`` is the type of the result ``call`` returns."""

    __slots__ = ()
    ID: ClassVar[int]


def declare_range(module: str, first: int, last: int) -> None:
    """Claim IDs ``first..last`` (inclusive) for ``module``; an overlap fails at once."""
    if first > last or first < 0:
        raise CommandRangeError(f"module {module!r} declares an empty range {first}-{last}")
    for other, (lo, hi) in _ranges.items():
        if other == "custom" and first >= CUSTOM_FIRST:
            continue  # applications carve their own modules out of the custom space
        if other != module and first <= hi and lo <= last:
            raise CommandRangeError(
                f"module {module!r} ids {first}-{last} overlap module {other!r} ids {lo}-{hi}"
            )
    _ranges[module] = (first, last)


def module_of(command_id: int) -> str:
    """The module whose range holds ``command_id`` (``custom`` for IDs ≥ 256)."""
    for module, (lo, hi) in _ranges.items():
        if lo <= command_id <= hi:
            return module
    return "undeclared"


@dataclass_transform(frozen_default=True, field_specifiers=(attrs.field,))
def command(*, id: int, module: str = "custom") -> Callable[[C], C]:
    """Declare a command class: frozen attrs data with the class-level ``ID``.

    Args:
        id: the wire ID; inside ``module``'s declared range (≥ 256 for user commands).
        module: the module that owns the ID range.

    Raises:
        CommandRangeError: the ID lies outside the module's range.
        CommandTakenError: another command class already has this ID.
    """

    def declare(cls: C) -> C:
        _check_range(cls.__name__, id, module)
        frozen = attrs.frozen(cls)
        frozen.ID = id  # type: ignore[attr-defined]
        _claim(frozen, id)
        return frozen

    return declare


def _check_range(name: str, command_id: int, module: str) -> None:
    bounds = _ranges.get(module)
    if bounds is None:
        raise CommandRangeError(f"{name} (id={command_id}): module {module!r} declared no range")
    if not bounds[0] <= command_id <= bounds[1]:
        raise CommandRangeError(
            f"{name} (id={command_id}) is outside module {module!r} range {bounds[0]}-{bounds[1]}"
        )


def _claim(cls: type, command_id: int) -> None:
    owner = _classes.get(command_id)
    if owner is not None and _qualname(owner) != _qualname(cls):
        raise CommandTakenError(
            f"command id {command_id} is taken by {_qualname(owner)}; cannot give it to "
            f"{_qualname(cls)}"
        )
    _classes[command_id] = cls


def _qualname(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def command_id(cmd: object) -> int:
    """The ID of a command instance; ``NotACommandError`` for anything else."""
    cid = getattr(type(cmd), "ID", None)
    if type(cid) is not int:
        raise NotACommandError(cmd)
    return cid
