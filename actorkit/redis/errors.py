"""The errors of :mod:`actorkit.redis`, in one tree under :class:`actorkit.ActorkitError`.

::

    RedisError                 the base
     ├─ RedisReplyError        the server answered with an error (``.message``)
     ├─ RedisConnectionError   cannot connect, or the connection was lost (``.sent``)
     ├─ RedisUrlError          the URL cannot be used (also a ValueError)
     └─ RedisArgumentError     a command argument of a type Redis has no text for (also a
                               TypeError)
"""

from __future__ import annotations

from actorkit.errors import ActorkitError

__all__ = [
    "RedisArgumentError",
    "RedisConnectionError",
    "RedisError",
    "RedisReplyError",
    "RedisUrlError",
]


class RedisError(ActorkitError):
    """The base of every error :mod:`actorkit.redis` raises."""


class RedisReplyError(RedisError):
    """The server answered a command with an error; ``message`` is its text, such as
    ``"WRONGTYPE Operation against a key holding the wrong kind of value"``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def code(self) -> str:
        """The first word of the message (``"ERR"``, ``"NOSCRIPT"``, ``"WRONGTYPE"`` …)."""
        return self.message.split(" ", 1)[0]


class RedisConnectionError(RedisError):
    """The server cannot be reached, or the connection was lost.

    ``sent`` is True when the request may have reached the server: a write that fails with
    ``sent=True`` may or may not have been applied; with ``sent=False`` it was not.
    """

    def __init__(self, message: str, *, sent: bool) -> None:
        super().__init__(message)
        self.sent = sent

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_connection_error, (str(self), self.sent))


def _rebuild_connection_error(message: str, sent: bool) -> RedisConnectionError:
    return RedisConnectionError(message, sent=sent)


class RedisUrlError(RedisError, ValueError):
    """The URL is not one :mod:`actorkit.redis` can use; the message names it (without its
    password) and says why."""


class RedisArgumentError(RedisError, TypeError):
    """A command argument is not ``str``, ``bytes``, ``int`` or ``float``; the message names
    the command and the argument's position."""
