"""Tokens (CreateToken 130, ValidateToken 131, RevokeToken 132): opaque and JWT, and every
way a token can be wrong, refused with a reason that shows nothing secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping

import jwt
import pytest
import trio
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

import actorkit
from actorkit.modules import security as sec
from actorkit.modules import store
from actorkit.modules.security import (
    CreateToken,
    PermissionDenied,
    RevokeToken,
    SecurityArgumentError,
    TokenError,
    ValidateToken,
)
from actorkit.testing import open_test_node

from ._kit import modules

SECRET = "an hmac secret long enough for HS256 ok"
_PEM = serialization.Encoding.PEM


def _rsa() -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        _PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key.public_key().public_bytes(
        _PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ), private


def _ed() -> tuple[bytes, bytes]:
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(
        _PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key.public_key().public_bytes(
        _PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ), private


@pytest.fixture(scope="module")
def keys() -> dict[str, sec.JwtKey]:
    return {"hs": sec.hs256(SECRET), "rs": sec.rs256(*_rsa()), "ed": sec.eddsa(*_ed())}


def _modules(keys: dict[str, sec.JwtKey]) -> list[actorkit.Component]:
    return modules(keys=keys, clock=trio.current_time, ttl=60.0)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _forge(header: Mapping[str, object], claims: Mapping[str, object], sig: bytes = b"") -> str:
    parts = (json.dumps(header).encode(), json.dumps(claims).encode(), sig)
    return ".".join(_b64(p) for p in parts)


async def _reason(proc: actorkit.Process, token: str) -> str:
    with pytest.raises(TokenError) as caught:
        await proc.call(ValidateToken(token))
    assert len(token) < 4 or token not in str(caught.value)
    assert SECRET not in str(caught.value)
    return caught.value.reason


async def test_tokens_opaque_round_trip_expiry_and_revocation(
    keys: dict[str, sec.JwtKey], autojump_clock: trio.abc.Clock
) -> None:
    async with open_test_node(modules=_modules(keys)) as node, node.process() as proc:
        token = await proc.call(CreateToken("ada", ("reader",), meta={"team": "ops"}))
        assert token.startswith("ak_")
        info = await proc.call(ValidateToken(token))
        assert (info.actor, info.scopes, info.kind) == (
            sec.Actor("ada", {"team": "ops"}),
            ("reader",),
            "opaque",
        )
        record = await proc.call(store.Get("tokens", f"token:{info.id}"))
        assert token[35:] not in json.dumps(record)  # the store holds a hash, not the secret
        assert await _reason(proc, token[:-1] + ("A" if token[-1] != "A" else "B")) == "unknown"
        assert await _reason(proc, "ak_" + "0" * 32 + token[35:]) == "unknown"
        assert await _reason(proc, "ak_short") == "malformed"
        assert await proc.call(RevokeToken(token))
        assert await _reason(proc, token) == "revoked"
        assert not await proc.call(RevokeToken(token))
        short = await proc.call(CreateToken("bob", ttl=5))
        await trio.sleep(5)
        assert await _reason(proc, short) == "expired"


@pytest.mark.parametrize("kid", ["hs", "rs", "ed"])
async def test_tokens_jwt_round_trip_and_revocation(
    kid: str, keys: dict[str, sec.JwtKey], autojump_clock: trio.abc.Clock
) -> None:
    async with open_test_node(modules=_modules(keys)) as node, node.process() as proc:
        token = await proc.call(CreateToken("ada", ("writer",), key=kid, ttl=30))
        header = jwt.get_unverified_header(token)
        assert header["kid"] == kid
        assert header["alg"] == keys[kid].algorithm
        info = await proc.call(ValidateToken(token))
        assert (info.actor.id, info.scopes, info.kind) == ("ada", ("writer",), "jwt")
        assert await proc.call(RevokeToken(token))
        assert await _reason(proc, token) == "revoked"
        later = await proc.call(CreateToken("ada", key=kid, ttl=30))
        await trio.sleep(30)
        assert await _reason(proc, later) == "expired"


async def test_tokens_jwt_attacks_are_refused(keys: dict[str, sec.JwtKey]) -> None:
    rs_public = keys["rs"].verifying
    assert isinstance(rs_public, bytes)
    other = "another secret that is also long enough"
    async with open_test_node(modules=_modules(keys)) as node, node.process() as proc:
        now = trio.current_time()
        good = await proc.call(CreateToken("ada", key="hs"))
        head, body, sig = good.split(".")
        claims = {
            "sub": "root",
            "scp": ["writer"],
            "exp": now + 60,
            "jti": "x" * 8,
            "iss": "actorkit",
        }
        flipped = sig[:-2] + ("AA" if sig[-2:] != "AA" else "BB")
        assert await _reason(proc, f"{head}.{body}.{flipped}") == "bad_signature"
        forged_body = _b64(json.dumps(claims).encode())
        assert await _reason(proc, f"{head}.{forged_body}.{sig}") == "bad_signature"
        wrong_key = jwt.encode(claims, other, algorithm="HS256", headers={"kid": "hs"})
        assert await _reason(proc, wrong_key) == "bad_signature"
        assert (
            await _reason(proc, _forge({"alg": "none", "kid": "hs"}, claims)) == "wrong_algorithm"
        )
        confused = _forge({"alg": "HS256", "kid": "rs", "typ": "JWT"}, claims)
        head2, body2, _ = confused.split(".")
        mac = hmac.new(rs_public, f"{head2}.{body2}".encode(), hashlib.sha256).digest()
        assert await _reason(proc, f"{head2}.{body2}.{_b64(mac)}") == "wrong_algorithm"
        assert await _reason(proc, _forge({"alg": "HS256", "kid": "nope"}, claims)) == "unknown_key"
        future = {**claims, "nbf": now + 100}
        early = jwt.encode(future, SECRET, algorithm="HS256", headers={"kid": "hs"})
        assert await _reason(proc, early) == "not_yet_valid"
        stale = jwt.encode(
            {**claims, "exp": now - 1}, SECRET, algorithm="HS256", headers={"kid": "hs"}
        )
        assert await _reason(proc, stale) == "expired"
        no_sub = {k: v for k, v in claims.items() if k != "sub"}
        bare = jwt.encode(no_sub, SECRET, algorithm="HS256", headers={"kid": "hs"})
        assert await _reason(proc, bare) == "malformed"
        for junk in ("", "a.b", "a.b.c", "x" * 9000, "ak_" + "g" * 75, "..", "\x00.\x00.\x00"):
            assert await _reason(proc, junk) in ("malformed", "unknown_key")
        assert (await proc.call(ValidateToken(good))).actor.id == "ada"  # the node is fine


async def test_tokens_bad_fields_name_command_and_field(keys: dict[str, sec.JwtKey]) -> None:
    with pytest.raises(SecurityArgumentError, match=r"ValidateToken \(id=131\): token"):
        ValidateToken(123)  # type: ignore[arg-type]
    with pytest.raises(SecurityArgumentError, match=r"CreateToken \(id=130\): actor"):
        CreateToken("")
    with pytest.raises(SecurityArgumentError, match=r"CreateToken \(id=130\): scopes"):
        CreateToken("a", ("",))
    with pytest.raises(SecurityArgumentError, match=r"CreateToken \(id=130\): ttl"):
        CreateToken("a", ttl=0)
    async with open_test_node(modules=_modules(keys)) as node, node.process() as proc:
        with pytest.raises(SecurityArgumentError, match="key"):
            await proc.call(CreateToken("a", key="missing"))


async def test_tokens_gateway_maps_a_token_to_an_identity(keys: dict[str, sec.JwtKey]) -> None:
    async with open_test_node(modules=_modules(keys)) as node:
        async with node.process() as admin:
            token = await admin.call(CreateToken("ada", ("reader", "unknown"), key="ed"))
        ident = await sec.identity_for_token(node, token)
        assert ident.actor.id == "ada"
        async with sec.run_as(node, ident.actor, *ident.layers) as proc:
            assert await proc.call(store.Get("cache", "k")) is None
            with pytest.raises(PermissionDenied):
                await proc.call(store.Set("cache", "k", 1))
        with pytest.raises(TokenError, match="malformed"):
            await sec.identity_for_token(node, "nonsense")


def _tokens() -> Iterator[str]:
    yield from ("", "ak_", "e30.e30.", "eyJhbGciOiJub25lIn0.e30.")


async def test_tokens_a_confined_process_cannot_mint_tokens(keys: dict[str, sec.JwtKey]) -> None:
    async with open_test_node(modules=_modules(keys)) as node, node.process() as proc:
        sec.set_scope(proc, sec.Scope("v", [sec.allow("security.validate_token")]))
        for token in _tokens():
            with pytest.raises(TokenError):
                await proc.call(ValidateToken(token))
        with pytest.raises(PermissionDenied, match="create_token"):
            await proc.call(CreateToken("root", ("writer",)))


async def test_tokens_gateway_auth_gives_an_identity_or_refuses(
    keys: dict[str, sec.JwtKey],
) -> None:
    from actorkit.gateway import Refused  # noqa: PLC0415

    async with open_test_node(modules=_modules(keys)) as node:
        check = sec.token_auth(node)
        async with node.process() as admin:
            token = await admin.call(CreateToken("ada", ("reader",)))
        assert (await check(token)).actor.id == "ada"
        for bad, reason in [(None, "no token"), ("", "no token"), (token + "x", "malformed")]:
            with pytest.raises(Refused, match=reason):
                await check(bad)
