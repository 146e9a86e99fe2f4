"""Token work: opaque tokens with records in a store, and signed JWTs (PyJWT).

An opaque token is ``ak_`` + a 32-hex id + a 43-character secret. Its record lives in the
token store under ``token:<id>`` and holds the SHA-256 of the secret, never the secret, so
reading the store does not yield a working token; the secret is compared with
:func:`hmac.compare_digest`. A JWT carries ``sub`` (the actor), ``scp`` (scope names),
``meta``, ``iat``/``nbf``/``exp``, ``jti`` and ``iss``, and a ``kid`` header naming the key;
revoking one writes ``revoked:<jti>`` to the store until it would have expired.

Every refusal is a :class:`~.errors.TokenError` with a reason and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any, Literal, cast

import jwt

import actorkit
from actorkit.modules import store

from .commands import CreateToken, TokenInfo
from .errors import SecurityArgumentError, TokenError
from .keys import JwtKey
from .policy import Actor
from .state import Settings

Kind = Literal["opaque", "jwt"]
MAX_LENGTH = 8192
KEEP = 3600.0
"""Seconds a record outlives its token, so a late check says ``expired``, not ``unknown``."""
_OPAQUE = re.compile(r"ak_([0-9a-f]{32})([A-Za-z0-9_-]{43})")


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create(helper: actorkit.Process, cfg: Settings, cmd: CreateToken) -> str:
    """A new token for ``cmd`` (a JWT when ``cmd.key`` is set)."""
    ttl = cfg.ttl if cmd.ttl is None else cmd.ttl
    now = cfg.clock()
    if cmd.key is not None:
        return _sign(cfg, cmd, now, ttl)
    token_id, secret = secrets.token_hex(16), secrets.token_urlsafe(32)
    record = {
        "hash": _digest(secret),
        "actor": cmd.actor,
        "meta": dict(cmd.meta),
        "scopes": list(cmd.scopes),
        "exp": now + ttl,
        "revoked": False,
    }
    await helper.call(store.Set(cfg.store, f"token:{token_id}", record, ttl=ttl + KEEP))
    return f"ak_{token_id}{secret}"


def _sign(cfg: Settings, cmd: CreateToken, now: float, ttl: float) -> str:
    key = cfg.keys.get(cmd.key or "")
    if key is None or key.signing is None:
        expected = f"one of the signing keys {sorted(k for k, v in cfg.keys.items() if v.signing)}"
        raise SecurityArgumentError("CreateToken (id=130)", "key", expected, cmd.key)
    claims = {
        "sub": cmd.actor,
        "scp": list(cmd.scopes),
        "meta": dict(cmd.meta),
        "iat": now,
        "nbf": now,
        "exp": now + ttl,
        "jti": secrets.token_hex(16),
        "iss": cfg.issuer,
    }
    return jwt.encode(claims, key.signing, algorithm=key.algorithm, headers={"kid": cmd.key})


async def validate(helper: actorkit.Process, cfg: Settings, token: str) -> TokenInfo:
    """The token's info; :class:`TokenError` with the reason it is refused."""
    if len(token) > MAX_LENGTH:
        raise TokenError("malformed")
    if token.startswith("ak_"):
        return await _validate_opaque(helper, cfg, token)
    info = _verify_jwt(cfg, token)
    if await helper.call(store.Has(cfg.store, f"revoked:{info.id}")):
        raise TokenError("revoked")
    return info


async def revoke(helper: actorkit.Process, cfg: Settings, token: str) -> bool:
    """Revoke a valid token; False if it was already revoked or expired."""
    try:
        info = await validate(helper, cfg, token)
    except TokenError as exc:
        if exc.reason in ("revoked", "expired"):
            return False
        raise
    ttl = max(info.expires_at - cfg.clock(), 0.0) + KEEP
    if info.kind == "jwt":
        await helper.call(store.Set(cfg.store, f"revoked:{info.id}", True, ttl=ttl))
        return True
    key = f"token:{info.id}"
    record = await helper.call(store.Get(cfg.store, key))
    await helper.call(store.Set(cfg.store, key, {**record, "revoked": True}, ttl=ttl))
    return True


async def _validate_opaque(helper: actorkit.Process, cfg: Settings, token: str) -> TokenInfo:
    found = _OPAQUE.fullmatch(token)
    if found is None:
        raise TokenError("malformed")
    token_id, secret = found.groups()
    found_record: object = await helper.call(store.Get(cfg.store, f"token:{token_id}"))
    if type(found_record) is not dict:
        raise TokenError("unknown")
    record = cast("dict[str, object]", found_record)
    if not hmac.compare_digest(str(record.get("hash", "")), _digest(secret)):
        raise TokenError("unknown")
    if record.get("revoked"):
        raise TokenError("revoked")
    return _info(cfg, "opaque", token_id, record, record.get("actor"))


def _info(
    cfg: Settings, kind: Kind, token_id: str, fields: Mapping[str, Any], actor: Any
) -> TokenInfo:
    """The info from a record (``meta``, ``scopes``, ``exp``) or claims (``scp`` for scopes)."""
    meta: object = fields.get("meta", {})
    scopes: object = fields.get("scopes", fields.get("scp", []))
    exp: object = fields.get("exp")
    if not (type(actor) is str and actor and type(meta) is dict):
        raise TokenError("malformed")
    names = cast("list[object]", scopes) if type(scopes) is list else [None]
    if not all(type(s) is str and s for s in names):
        raise TokenError("malformed")
    if not (type(exp) is int or type(exp) is float):
        raise TokenError("malformed")
    if cfg.clock() >= exp:
        raise TokenError("expired")
    actor_ = Actor(actor, cast("dict[str, object]", meta))
    return TokenInfo(token_id, actor_, tuple(cast("list[str]", names)), float(exp), kind)


def _key_of(cfg: Settings, token: str) -> JwtKey:
    try:
        header = jwt.get_unverified_header(token)
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise TokenError("malformed") from exc
    kid = header.get("kid")
    key = cfg.keys.get(kid) if type(kid) is str else None
    if key is None:
        raise TokenError("unknown_key")
    if header.get("alg") != key.algorithm:
        raise TokenError("wrong_algorithm")
    return key


_OPTIONS: Any = {
    "verify_exp": False,
    "verify_nbf": False,
    "verify_iat": False,
    "require": ["sub", "exp", "jti", "iss"],
}


def _verify_jwt(cfg: Settings, token: str) -> TokenInfo:
    key = _key_of(cfg, token)
    try:
        claims: Mapping[str, Any] = jwt.decode(
            token, key.verifying, algorithms=[key.algorithm], issuer=cfg.issuer, options=_OPTIONS
        )
    except jwt.InvalidSignatureError as exc:
        raise TokenError("bad_signature") from exc
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise TokenError("malformed") from exc
    nbf = claims.get("nbf", claims.get("iat"))
    if nbf is not None and (type(nbf) not in (int, float) or nbf > cfg.clock()):
        raise TokenError("not_yet_valid" if type(nbf) in (int, float) else "malformed")
    jti = claims.get("jti")
    if type(jti) is not str or not jti:
        raise TokenError("malformed")
    return _info(cfg, "jwt", jti, claims, claims.get("sub"))
