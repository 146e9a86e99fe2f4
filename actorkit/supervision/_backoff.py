"""The wait before a restart: exponential backoff with jitter."""

from __future__ import annotations

import random

import attrs

from actorkit.checks import describe, duration

from ._fields import FLOAT_MAX, Valid, number
from .errors import SupervisorArgumentError


def _at_least_initial(backoff: Backoff, attr: attrs.Attribute[float], value: float) -> None:
    if value < backoff.initial:
        expected = f"seconds >= initial ({describe(backoff.initial)})"
        raise SupervisorArgumentError("Backoff", attr.name, expected, value)


@attrs.frozen
class Backoff:
    """Exponential backoff with jitter before a restart (Wippy's defaults).

    The n-th restart of a child in a row (counting from 1) waits ``initial * factor**(n-1)``
    seconds, at most ``max``, spread by ±``jitter`` (a fraction): with the defaults 1, 2, 4,
    8 … seconds. ``initial=0`` restarts at once (OTP style).

    Args:
        initial: seconds before the first restart, finite; ``0`` restarts at once.
        max: the longest wait in seconds, finite and at least ``initial``.
        factor: how much each consecutive restart multiplies the wait, ``>= 1``, finite.
        jitter: the spread, a fraction in ``[0, 1]``.

    Raises:
        SupervisorArgumentError: a field is not valid.
    """

    initial: float = attrs.field(default=1.0, validator=Valid(duration(finite=True)))
    max: float = attrs.field(
        default=90.0, validator=[Valid(duration(finite=True)), _at_least_initial]
    )
    factor: float = attrs.field(
        default=2.0, validator=number(lambda v: 1 <= v <= FLOAT_MAX, "a number >= 1, finite")
    )
    jitter: float = attrs.field(
        default=0.1, validator=number(lambda v: 0 <= v <= 1, "a fraction in [0, 1]")
    )

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before a child's restart number ``attempt`` in a row, counting
        from 1 like every attempt counter in actorkit: ``delay(1)`` is about ``initial``."""
        if self.initial <= 0:
            return 0.0
        ceiling = float(self.max)
        try:  # in floats: ints given as fields would grow into huge exact ints
            base = float(self.initial) * float(self.factor) ** min(max(attempt - 1, 0), 64)
        except OverflowError:  # a huge factor: far past max whatever the jitter
            return ceiling
        if self.jitter:
            base *= 1.0 + rng.uniform(-self.jitter, self.jitter)
        return base if base < ceiling else ceiling  # inf * 0 (jitter 1) is NaN: max


NO_BACKOFF = Backoff(initial=0.0)
