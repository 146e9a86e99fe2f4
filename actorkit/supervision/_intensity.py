"""OTP's restart intensity: how many restarts a supervisor allows in a window."""

from __future__ import annotations

from collections import deque


class Intensity:
    """At most ``max_restarts`` restarts within any ``period`` seconds (OTP's intensity)."""

    def __init__(self, max_restarts: int, period: float) -> None:
        self.max_restarts = max_restarts
        self.period = period
        self._times: deque[float] = deque()

    def allow(self, now: float) -> bool:
        """Count a restart at ``now``; False if that is one too many."""
        times = self._times
        times.append(now)
        while now - times[0] > self.period:
            times.popleft()
        return len(times) <= self.max_restarts
