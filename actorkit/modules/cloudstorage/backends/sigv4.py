"""AWS Signature Version 4 for S3, in headers and in presigned query strings.

Only what S3 needs: the service is ``s3``, the canonical URI is encoded once (S3 does not
double-encode), and the payload hash is the hex SHA-256 of the body or
``UNSIGNED-PAYLOAD`` (presigned URLs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import quote

import attrs

ALGORITHM = "AWS4-HMAC-SHA256"
UNSIGNED = "UNSIGNED-PAYLOAD"
EMPTY_HASH = hashlib.sha256(b"").hexdigest()


@attrs.frozen
class Credentials:
    """An access key, its secret and the region requests are signed for."""

    access_key: str
    secret_key: str = attrs.field(repr=False)
    region: str = "us-east-1"


def encode(text: str, *, slash: bool = False) -> str:
    """Percent-encode all but the unreserved characters (and ``/`` if ``slash``)."""
    return quote(text, safe="/~" if slash else "~")


def query_string(params: dict[str, str]) -> str:
    """The canonical query: encoded names and values, sorted."""
    pairs = sorted((encode(k), encode(v)) for k, v in params.items())
    return "&".join(f"{k}={v}" for k, v in pairs)


def _stamp(now: float) -> tuple[str, str]:
    moment = dt.datetime.fromtimestamp(now, dt.UTC)
    return moment.strftime("%Y%m%dT%H%M%SZ"), moment.strftime("%Y%m%d")


def _key(creds: Credentials, day: str) -> bytes:
    key = ("AWS4" + creds.secret_key).encode()
    for part in (day, creds.region, "s3", "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def _signature(creds: Credentials, amz_date: str, canonical: str) -> str:
    day = amz_date[:8]
    scope = f"{day}/{creds.region}/s3/aws4_request"
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    to_sign = f"{ALGORITHM}\n{amz_date}\n{scope}\n{digest}"
    return hmac.new(_key(creds, day), to_sign.encode(), hashlib.sha256).hexdigest()


def _canonical(
    method: str, path: str, query: str, headers: dict[str, str], payload: str
) -> tuple[str, str]:
    names = sorted(headers)
    lines = "".join(f"{n}:{' '.join(headers[n].split())}\n" for n in names)
    signed = ";".join(names)
    return f"{method}\n{path}\n{query}\n{lines}\n{signed}\n{payload}", signed


def sign(
    creds: Credentials,
    method: str,
    path: str,
    query: dict[str, str],
    headers: dict[str, str],
    *,
    payload: str,
    now: float,
) -> dict[str, str]:
    """``headers`` (lowercase names, ``host`` among them) plus the SigV4 ones.

    ``path`` is already encoded; ``payload`` is the body's hex SHA-256.
    """
    amz_date, day = _stamp(now)
    signed_headers = {**headers, "x-amz-date": amz_date, "x-amz-content-sha256": payload}
    canonical, names = _canonical(method, path, query_string(query), signed_headers, payload)
    signature = _signature(creds, amz_date, canonical)
    scope = f"{day}/{creds.region}/s3/aws4_request"
    auth = f"{ALGORITHM} Credential={creds.access_key}/{scope}, SignedHeaders={names}, "
    return {**signed_headers, "authorization": auth + f"Signature={signature}"}


def presign(
    creds: Credentials,
    method: str,
    path: str,
    headers: dict[str, str],
    expires: int,
    now: float,
) -> str:
    """The query string of a presigned URL for ``method`` on ``path`` (encoded), binding
    ``headers`` (lowercase names, ``host`` among them), valid ``expires`` seconds."""
    amz_date, day = _stamp(now)
    query = {
        "X-Amz-Algorithm": ALGORITHM,
        "X-Amz-Credential": f"{creds.access_key}/{day}/{creds.region}/s3/aws4_request",
        "X-Amz-Date": amz_date,
        "X-Amz-Expires": str(expires),
        "X-Amz-SignedHeaders": ";".join(sorted(headers)),
    }
    canonical, _ = _canonical(method, path, query_string(query), headers, UNSIGNED)
    query["X-Amz-Signature"] = _signature(creds, amz_date, canonical)
    return query_string(query)
