"""Security errors, under :class:`actorkit.CommandError`.

::

    CommandError
     └─ SecurityError                the security module refused or could not act
         ├─ PermissionDenied         a scope refused a command (also a PermissionError);
         │                           names the action and the resource
         ├─ TokenError               a token was refused; ``reason`` says why, never the
         │                           token or a key (malformed, unknown, bad_signature,
         │                           wrong_algorithm, unknown_key, expired, not_yet_valid,
         │                           revoked)
         └─ SecurityArgumentError    a field of a command or an option is wrong
                                     (also CommandArgumentError and ValueError)
"""

from __future__ import annotations

from typing import Literal

from actorkit.errors import CommandArgumentError, CommandError

Reason = Literal[
    "malformed",
    "unknown",
    "bad_signature",
    "wrong_algorithm",
    "unknown_key",
    "expired",
    "not_yet_valid",
    "revoked",
]


class SecurityError(CommandError):
    """The security module refused something or could not act."""


class PermissionDenied(SecurityError, PermissionError):
    """A process's scope refused a command: only that call fails.

    Attributes:
        action: what was attempted, like ``store.set`` or ``process.send``.
        resource: on what, like the store's name or the receiver's name.
        command: the command refused, like ``Set (id=121)``.
    """

    def __init__(self, action: str, resource: str, command: str = "") -> None:
        on = f" on {resource!r}" if resource else ""
        by = f"{command}: " if command else ""
        super().__init__(f"{by}permission denied: {action}{on}")
        self.action = action
        self.resource = resource
        self.command = command


class TokenError(SecurityError):
    """A token was refused. ``reason`` is one of :data:`Reason`; nothing secret is shown."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"token refused: {reason}")
        self.reason: Reason = reason


class SecurityArgumentError(SecurityError, CommandArgumentError):
    """A field of a security command, or an option, has the wrong type or value."""
