"""OTP's restart intensity, made to hold under backoff.

OTP counts restarts in a sliding window: more than ``max_restarts`` in ``period`` seconds
and the supervisor gives up. A backoff spreads a crash loop's restarts out (1, 3, 7, 15 s
… with the defaults), so past the first few no window ever holds enough of them and the
loop would go on forever. So a restart also counts for as long as its child has not run
for the stable period since: a child's streak of restarts without a stable run in between
(``Child.attempts``, the number that grows its backoff) is held to the same limit.
"""

from __future__ import annotations

from collections import deque
from typing import Literal

Limit = Literal["intensity", "in_a_row"]
"""Which restart limit a supervisor broke: ``intensity``, more than ``max_restarts`` restarts
within ``period`` seconds (OTP's); ``in_a_row``, one child restarted more than
``max_restarts`` times in a row without running for the stable period (a crash loop)."""


class Intensity:
    """At most ``max_restarts`` restarts within any ``period`` seconds (OTP's intensity),
    and at most ``max_restarts`` in a row of one child that never reached its stable period.
    """

    def __init__(self, max_restarts: int, period: float) -> None:
        self.max_restarts = max_restarts
        self.period = period
        self._times: deque[float] = deque()

    def exceeded(self, now: float, streak: int) -> Limit | None:
        """Count a restart at ``now``, the ``streak``-th in a row of its child without a
        stable run (counting from 1: this one); the limit it breaks, if any (``intensity``
        first)."""
        times = self._times
        times.append(now)
        while now - times[0] > self.period:
            times.popleft()
        if len(times) > self.max_restarts:
            return "intensity"
        return "in_a_row" if streak > self.max_restarts else None
