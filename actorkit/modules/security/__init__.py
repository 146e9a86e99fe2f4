"""The security module (IDs 130–139): who a process acts as, what it may do, and tokens.

Confine a process to a scope; every command it runs (and its children run) is checked::

    reader = security.Scope("reader", [security.allow("store.get", "cache")])
    security.set_scope(proc, reader, actor=security.Actor("report-job"))
    await proc.call(store.Get("cache", "k"))        # allowed
    await proc.call(store.Set("cache", "k", 1))     # PermissionDenied: store.set on 'cache'

Tokens: ``CreateToken`` (130), ``ValidateToken`` (131), ``RevokeToken`` (132), opaque
(records in a store) or JWTs (HS256, RS256, EdDSA). Boot with
``[store.memory("tokens"), security.module(scopes=[...], keys={...})]``.
"""

from __future__ import annotations

from .access import Mapper, access_of, declare, declare_mapper, generic_action
from .commands import CreateToken, RevokeToken, TokenInfo, ValidateToken
from .components import module
from .errors import PermissionDenied, SecurityArgumentError, SecurityError, TokenError
from .gateway import identity_for_token, token_auth
from .identity import Identity, adopt, confined, identity, run_as, set_scope
from .keys import JwtKey, eddsa, hs256, rs256
from .policy import Access, Actor, Policy, Scope, allow, deny

__all__ = [
    "Access",
    "Actor",
    "CreateToken",
    "Identity",
    "JwtKey",
    "Mapper",
    "PermissionDenied",
    "Policy",
    "RevokeToken",
    "Scope",
    "SecurityArgumentError",
    "SecurityError",
    "TokenError",
    "TokenInfo",
    "ValidateToken",
    "access_of",
    "adopt",
    "allow",
    "confined",
    "declare",
    "declare_mapper",
    "deny",
    "eddsa",
    "generic_action",
    "hs256",
    "identity",
    "identity_for_token",
    "module",
    "rs256",
    "run_as",
    "set_scope",
    "token_auth",
]
