"""Retry policies: how many attempts, how long to wait between them, which errors retry."""

from __future__ import annotations

import random
from collections.abc import Callable

import attrs

RetryOn = tuple[type[BaseException], ...] | Callable[[Exception], bool]
"""Exception types that retry, or a predicate that says whether an error retries."""
_ANY_ERROR: RetryOn = (Exception,)


def _positive(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be > 0, got {value!r}")


def _not_negative(_instance: object, attribute: attrs.Attribute[float], value: float) -> None:
    if not value >= 0:
        raise ValueError(f"RetryPolicy.{attribute.name} must be >= 0, got {value!r}")


def _at_least_one(_instance: object, _attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"RetryPolicy.max_attempts must be >= 1, got {value!r}")


def _fraction(_instance: object, _attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 <= value <= 1:
        raise ValueError(f"RetryPolicy.jitter must be in [0, 1], got {value!r}")


def _retry_on(_instance: object, _attribute: attrs.Attribute[RetryOn], value: RetryOn) -> None:
    if callable(value):
        return
    if not isinstance(value, tuple):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(f"RetryPolicy.retry_on must be a tuple or a predicate, got {value!r}")
    if not _exception_types(value):
        raise TypeError(f"RetryPolicy.retry_on must hold exception types, got {value!r}")


def _exception_types(items: tuple[object, ...]) -> bool:
    return all(isinstance(t, type) and issubclass(t, BaseException) for t in items)


@attrs.frozen
class RetryPolicy:
    """How a failing function is retried.

    Attempt ``n`` (counting from 1) that fails with a retryable error is followed, after a
    sleep on the Trio clock of ``min(initial_delay * backoff_factor ** (n - 1), max_delay)``
    seconds (spread by ``± jitter`` as a fraction), by attempt ``n + 1``, up to
    ``max_attempts`` in all. Argument errors and cancellation never retry.

    Attributes:
        max_attempts: attempts in all, the first included (1 means no retries).
        initial_delay: seconds before the second attempt.
        backoff_factor: each later delay is this many times the previous one.
        max_delay: the longest delay, in seconds.
        retry_on: exception types that retry, or a predicate ``(error) -> bool``.
        jitter: a fraction in [0, 1]; each delay is scaled by a random factor in
            ``[1 - jitter, 1 + jitter]``.
    """

    max_attempts: int = attrs.field(default=3, validator=_at_least_one)
    initial_delay: float = attrs.field(default=0.1, validator=_not_negative)
    backoff_factor: float = attrs.field(default=2.0, validator=_positive)
    max_delay: float = attrs.field(default=30.0, validator=_not_negative)
    retry_on: RetryOn = attrs.field(default=_ANY_ERROR, validator=_retry_on)
    jitter: float = attrs.field(default=0.0, validator=_fraction)

    def retries(self, error: Exception, attempt: int) -> bool:
        """Whether ``error``, raised by attempt number ``attempt``, earns another attempt."""
        if attempt >= self.max_attempts:
            return False
        retry_on = self.retry_on
        if callable(retry_on):
            return bool(retry_on(error))
        return isinstance(error, retry_on)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt``."""
        base = min(self.initial_delay * self.backoff_factor ** (attempt - 1), self.max_delay)
        if self.jitter:
            base *= 1.0 + self.jitter * random.uniform(-1.0, 1.0)
        return max(base, 0.0)


NO_RETRY = RetryPolicy(max_attempts=1)
"""The default: one attempt."""
