"""Field validators for the supervision specs: the public checks (``actorkit.checks``),
raising :class:`SupervisorArgumentError` instead of a command's error.

Every field of ``ChildSpec``, ``Backoff`` and ``Supervisor`` is checked when it is built: ints
are ints (never bools); seconds are an int or a float, not NaN, not negative, ``0`` meaning
"now" and ``math.inf`` allowed only where it means "never" (a shutdown without a time limit, a
stable period or an intensity window that never ends); names are one of the allowed set.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import attrs

from actorkit.checks import Check, is_number

from .errors import SupervisorArgumentError

FLOAT_MAX = sys.float_info.max  # a larger int does not fit a float: refused like inf


@attrs.frozen
class Valid:
    """An attrs validator running a ``Check``; a wrong value raises
    :class:`SupervisorArgumentError` naming the class and the field."""

    check: Check

    def __call__(self, inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
        self.option(type(inst).__name__, attribute.name, value)

    def option(self, owner: str, field: str, value: object) -> None:
        """Check an argument that is not an attrs field (``SupervisorClient``'s options)."""
        if not self.check.test(value):
            raise SupervisorArgumentError(owner, field, self.check.expected, value)


def one_of(names: frozenset[str]) -> Valid:
    """A str among ``names``."""
    listed = ", ".join(repr(name) for name in sorted(names))
    return Valid(Check(lambda v: type(v) is str and v in names, f"one of {listed}"))


def number(test: Callable[[float], bool], expected: str) -> Valid:
    """An int or float (not a bool, not NaN) for which ``test`` holds."""
    return Valid(Check(lambda v: is_number(v) and test(v), f"{expected} (int or float, not NaN)"))
