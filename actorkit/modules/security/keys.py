"""JWT keys: which algorithm, what signs and what verifies.

A key is pinned to one algorithm: a token is checked only with its key's algorithm, so a
token saying ``alg: none``, or HS256 signed with an RS256 public key (algorithm confusion),
is refused as ``wrong_algorithm`` before any signature is looked at.
"""

from __future__ import annotations

from typing import Literal

import attrs

Algorithm = Literal["HS256", "RS256", "EdDSA"]


@attrs.frozen
class JwtKey:
    """A signing and verifying key for one algorithm.

    Attributes:
        algorithm: ``"HS256"``, ``"RS256"`` or ``"EdDSA"``.
        verifying: the HMAC secret, or the public key (PEM).
        signing: the HMAC secret, or the private key (PEM); None for a key that only
            verifies tokens made elsewhere.
    """

    algorithm: Algorithm
    verifying: str | bytes = attrs.field(repr=False)
    signing: str | bytes | None = attrs.field(default=None, repr=False)


def hs256(secret: str | bytes) -> JwtKey:
    """An HMAC-SHA256 key (the secret should be at least 32 bytes)."""
    return JwtKey("HS256", secret, secret)


def rs256(public_pem: str | bytes, private_pem: str | bytes | None = None) -> JwtKey:
    """An RSA key: the public key verifies, the private one (if given) signs."""
    return JwtKey("RS256", public_pem, private_pem)


def eddsa(public_pem: str | bytes, private_pem: str | bytes | None = None) -> JwtKey:
    """An Ed25519 key: the public key verifies, the private one (if given) signs."""
    return JwtKey("EdDSA", public_pem, private_pem)
