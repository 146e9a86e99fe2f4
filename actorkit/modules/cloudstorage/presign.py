"""Presigned URLs of the local directory backend: HMAC-SHA256 over what the URL allows.

A URL looks like ``<base_url>/<key>?X-Actorkit-Method=GET&X-Actorkit-Expires=<epoch>&...
&X-Actorkit-Signature=<hex>``. The signature covers the storage name, the method, the key,
the expiry and, when given, the content type and length, so changing any of them (or using
the URL for another method or another storage) breaks it. The gateway that serves these
URLs calls :func:`verify_presigned` (or :func:`verify`) and then reads or writes the object.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import attrs

from .errors import ExpiredURLError, PresignedURLError

_P = "X-Actorkit-"


@attrs.frozen
class Presigned:
    """What a valid presigned URL allows: ``method`` on ``key`` of ``storage``."""

    storage: str
    method: str
    key: str
    content_type: str | None
    content_length: int | None


def _mac(secret: bytes, grant: Presigned, expires: int) -> str:
    length = "" if grant.content_length is None else str(grant.content_length)
    fields = [grant.storage, grant.method, grant.key, str(expires), grant.content_type or ""]
    message = "\n".join([*fields, length]).encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def sign(secret: bytes, base_url: str, grant: Presigned, expires_at: int) -> str:
    """The URL granting ``grant`` until ``expires_at`` (seconds since the epoch)."""
    query = {f"{_P}Method": grant.method, f"{_P}Expires": str(expires_at)}
    if grant.content_type is not None:
        query[f"{_P}Content-Type"] = grant.content_type
    if grant.content_length is not None:
        query[f"{_P}Content-Length"] = str(grant.content_length)
    query[f"{_P}Signature"] = _mac(secret, grant, expires_at)
    return f"{base_url}/{quote(grant.key, safe='/~')}?{urlencode(query)}"


def verify(
    secret: bytes,
    storage: str,
    base_url: str,
    url: str,
    *,
    method: str,
    now: float,
    content_type: str | None = None,
    content_length: int | None = None,
) -> Presigned:
    """Check a presigned ``url`` against the request that brings it.

    Raises:
        ExpiredURLError: the URL is past its expiry.
        PresignedURLError: anything else does not match (tampered, another method, another
            content type or length, another storage's URL, not a presigned URL at all).
    """
    grant, expires, signature = _parse(storage, base_url, url)
    if not hmac.compare_digest(signature, _mac(secret, grant, expires)):
        raise PresignedURLError("presigned URL refused: the signature does not match")
    if now >= expires:
        raise ExpiredURLError(f"presigned URL refused: it expired at {expires}")
    _same(grant, method, content_type, content_length)
    return grant


def _parse(storage: str, base_url: str, url: str) -> tuple[Presigned, int, str]:
    base, parts = urlsplit(base_url), urlsplit(url)
    prefix = base.path.rstrip("/") + "/"
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise PresignedURLError(f"presigned URL refused: not one of storage {storage!r}")
    if not parts.path.startswith(prefix):
        raise PresignedURLError(f"presigned URL refused: not one of storage {storage!r}")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    try:
        expires = int(query[f"{_P}Expires"])
        length = query.get(f"{_P}Content-Length")
        grant = Presigned(
            storage,
            query[f"{_P}Method"],
            unquote(parts.path[len(prefix) :]),
            query.get(f"{_P}Content-Type"),
            None if length is None else int(length),
        )
        return grant, expires, query[f"{_P}Signature"]
    except (KeyError, ValueError) as exc:
        raise PresignedURLError(f"presigned URL refused: malformed ({exc})") from None


def _same(grant: Presigned, method: str, ctype: str | None, length: int | None) -> None:
    if method.upper() != grant.method:
        raise PresignedURLError(f"presigned URL refused: it allows {grant.method}, not {method}")
    if grant.content_type is not None and ctype != grant.content_type:
        raise PresignedURLError(f"presigned URL refused: content type must be {grant.content_type}")
    if grant.content_length is not None and length != grant.content_length:
        raise PresignedURLError(
            f"presigned URL refused: content length must be {grant.content_length}"
        )
