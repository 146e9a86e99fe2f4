"""Security commands (IDs 130–139; 130–132 as in Wippy) and their result.

Tokens are opaque (``ak_…``, a record in the module's token store) or, when ``key`` names a
JWT key, signed JWTs. Fields are checked when a command is built: a wrong one raises
:class:`~.errors.SecurityArgumentError` naming the command, its ID and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, cast

import attrs

from actorkit.checks import Check, duration, text
from actorkit.lowlevel import Command, command, declare_range

from .errors import SecurityArgumentError
from .policy import Actor

declare_range("security", 130, 139)

_ID = text(non_empty=True).raising(SecurityArgumentError)
_KEY = text(optional=True, non_empty=True).raising(SecurityArgumentError)
_TOKEN = text().raising(SecurityArgumentError)
_TTL = duration(optional=True, finite=True, positive=True).raising(SecurityArgumentError)


def _meta(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    keys: Iterable[object] = cast("Mapping[object, object]", value)
    return all(type(k) is str for k in keys)


def _scopes(value: object) -> bool:
    if type(value) is not tuple:
        return False
    items: tuple[object, ...] = cast("tuple[object, ...]", value)
    return all(type(s) is str and s for s in items)


def _tuple(value: Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(value)
    return cast("tuple[str, ...]", value)


_META = Check(_meta, "a mapping with str keys").raising(SecurityArgumentError)
_SCOPES = Check(_scopes, "a tuple or list of non-empty str").raising(SecurityArgumentError)


@attrs.frozen
class TokenInfo:
    """What a valid token stands for.

    Attributes:
        id: the token's id (the record key, or the JWT's ``jti``); not a secret.
        actor: who the token acts as.
        scopes: the names of the scopes it grants.
        expires_at: when it expires, in the module clock's seconds.
        kind: ``"opaque"`` or ``"jwt"``.
    """

    id: str
    actor: Actor
    scopes: tuple[str, ...]
    expires_at: float
    kind: Literal["opaque", "jwt"]


@command(id=130, module="security")
class CreateToken(Command[str]):
    """Make a token for ``actor`` granting ``scopes`` (names booted with the module).

    ``ttl`` seconds (the module's default if None); ``key`` names a JWT key to sign a JWT
    with, else the token is opaque, its record in the token store.
    """

    actor: str = attrs.field(validator=_ID)
    scopes: tuple[str, ...] = attrs.field(default=(), converter=_tuple, validator=_SCOPES)
    meta: Mapping[str, object] = attrs.field(
        factory=dict[str, object], kw_only=True, hash=False, validator=_META
    )
    ttl: float | None = attrs.field(default=None, kw_only=True, validator=_TTL)
    key: str | None = attrs.field(default=None, kw_only=True, validator=_KEY)


@command(id=131, module="security")
class ValidateToken(Command[TokenInfo]):
    """The :class:`TokenInfo` of a valid token; :class:`~.errors.TokenError` if not."""

    token: str = attrs.field(validator=_TOKEN, repr=False)


@command(id=132, module="security")
class RevokeToken(Command[bool]):
    """Revoke a token; True if it was valid until now. A refused token raises TokenError."""

    token: str = attrs.field(validator=_TOKEN, repr=False)
