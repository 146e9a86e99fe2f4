"""Where a Redis server is and how to log in: ``redis://[user:password@]host:port/db`` or
``unix:///path/to/redis.sock?db=N`` (``password=`` and ``username=`` also in the query)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import RedisUrlError

__all__ = ["Address", "parse_url", "redacted"]

DEFAULT_PORT = 6379


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed URL: a TCP ``host``/``port`` or a unix socket ``path``, the database and the
    credentials (``url`` is the original without its password, for messages)."""

    url: str
    host: str = ""
    port: int = DEFAULT_PORT
    path: str = ""
    db: int = 0
    username: str | None = None
    password: str | None = None


def parse_url(url: str) -> Address:
    """The :class:`Address` of ``url``.

    Raises:
        RedisUrlError: not a ``redis://`` or ``unix://`` URL, or a bad port or database.
    """
    if not isinstance(url, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise RedisUrlError(f"a Redis URL must be a str, got {type(url).__name__}")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RedisUrlError(f"bad Redis URL {redacted(url)!r}: {exc}") from None
    if parts.scheme == "redis":
        return _tcp(url, parts.hostname, port, parts.path, parts.username, parts.password)
    if parts.scheme == "unix":
        return _unix(url, parts.path, parts.query)
    raise RedisUrlError(f"bad Redis URL {redacted(url)!r}: the scheme must be redis:// or unix://")


def _tcp(
    url: str, host: str | None, port: int | None, path: str, user: str | None, pw: str | None
) -> Address:
    if not host:
        raise RedisUrlError(f"bad Redis URL {redacted(url)!r}: no host")
    db = _db(url, path.strip("/") or "0")
    return Address(
        redacted(url), host=host, port=port or DEFAULT_PORT, db=db,
        username=_unquoted(user), password=_unquoted(pw),
    )  # fmt: skip


def _unix(url: str, path: str, query: str) -> Address:
    if not path:
        raise RedisUrlError(f"bad Redis URL {redacted(url)!r}: no socket path")
    args = {k: v[-1] for k, v in parse_qs(query).items()}
    db = _db(url, args.get("db", "0"))
    return Address(
        redacted(url), path=path, db=db,
        username=args.get("username"), password=args.get("password"),
    )  # fmt: skip


def _db(url: str, text: str) -> int:
    if not text.isdigit():
        raise RedisUrlError(
            f"bad Redis URL {redacted(url)!r}: the database must be a number, got {text!r}"
        )
    return int(text)


def _unquoted(text: str | None) -> str | None:
    return None if text is None else unquote(text)


def redacted(url: str) -> str:
    """``url`` with its password replaced by ``***``."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url.split("@", 1)[-1] if "@" in url else url
    if password is not None:
        url = url.replace(f":{password}@", ":***@", 1)
    if "password=" in parts.query:
        hidden = (
            "password=***" if p.startswith("password=") else p for p in parts.query.split("&")
        )
        url = url.replace(parts.query, "&".join(hidden), 1)
    return url
