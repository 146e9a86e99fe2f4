"""Retry policies: how many attempts, how long to wait between them, which errors retry."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import attrs

from actorkit.checks import Check, describe, duration, integer, is_number

RetryOn = tuple[type[BaseException], ...] | Callable[[Exception], bool]
"""Exception types that retry, or a predicate that says whether an error retries."""
_ANY_ERROR: RetryOn = (Exception,)


def _option(check: Check) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """An attrs validator raising ``ValueError("RetryPolicy: <field> must be ...")``."""

    def validate(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        check.option("RetryPolicy", attribute.name, value)

    return validate


_ATTEMPTS = _option(integer(minimum=1))
_DELAY = _option(duration(finite=True))
_MAX_DELAY = _option(duration())
_FACTOR = _option(duration(finite=True, positive=True))
_JITTER = _option(Check(lambda v: is_number(v) and 0 <= v <= 1, "a number in [0, 1]"))


def _retry_on(_instance: object, _attribute: attrs.Attribute[RetryOn], value: RetryOn) -> None:
    if callable(value):
        return
    if not isinstance(value, tuple):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise TypeError(
            f"RetryPolicy: retry_on must be a tuple or a predicate, got {describe(value)}"
        )
    if not _exception_types(value):
        raise TypeError(f"RetryPolicy: retry_on must hold exception types, got {describe(value)}")


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

    max_attempts: int = attrs.field(default=3, validator=_ATTEMPTS)
    initial_delay: float = attrs.field(default=0.1, validator=_DELAY)
    backoff_factor: float = attrs.field(default=2.0, validator=_FACTOR)
    max_delay: float = attrs.field(default=30.0, validator=_MAX_DELAY)
    retry_on: RetryOn = attrs.field(default=_ANY_ERROR, validator=_retry_on)
    jitter: float = attrs.field(default=0.0, validator=_JITTER)

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
        base = min(self._backoff(attempt), self.max_delay)
        if self.jitter and base < math.inf:
            base *= 1.0 + self.jitter * random.uniform(-1.0, 1.0)
        return max(base, 0.0)

    def _backoff(self, attempt: int) -> float:
        """``initial_delay * backoff_factor ** (attempt - 1)``; ``inf`` past a float's range."""
        if not self.initial_delay:
            return 0.0
        try:
            return self.initial_delay * self.backoff_factor ** (attempt - 1)
        except OverflowError:
            return math.inf


NO_RETRY = RetryPolicy(max_attempts=1)
"""The default: one attempt."""
