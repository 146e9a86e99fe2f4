"""Boot components that declare named storages: ``local`` and ``s3``.

Each storage is a component named ``cloudstorage.<name>``. The first one loaded registers
the handlers (one table serves every storage). Start makes a fresh backend, opens it and
puts it in the node's storages under its name; stop takes it out and closes it.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from actorkit.checks import Check, duration, flag, text
from actorkit.lowlevel import Boot, Component

from .backends.base import Backend
from .backends.local import LocalBackend
from .dispatcher import TABLE
from .state import storages

_TEXT = text(non_empty=True)
_SECRET = Check(lambda v: v is None or (type(v) is bytes and len(v) >= 16), "None or 16+ bytes")
_BUCKET = Check(lambda v: type(v) is str and 3 <= len(v) <= 63, "a bucket name of 3 to 63 chars")


def local(
    name: str,
    root: str,
    *,
    secret: bytes | None = None,
    base_url: str = "http://127.0.0.1:8000/storage",
    read_only: bool = False,
    clock: Callable[[], float] | None = None,
) -> Component:
    """A storage in a local directory (the embedded default).

    Args:
        name: what commands call the storage.
        root: the folder holding the objects (made if missing).
        secret: the HMAC key of its presigned URLs (16+ bytes); default a random one made
            now, so URLs stop working when the program restarts.
        base_url: where the gateway serves this storage's presigned URLs; a URL is
            ``<base_url>/<name>/<key>?...``.
        read_only: refuse uploads and deletes with AccessDeniedError.
        clock: seconds since the epoch for presigned expiry; default ``time.time``.
    """
    owner = f"cloudstorage.local({name!r})"
    _TEXT.option("cloudstorage.local", "name", name)
    _TEXT.option(owner, "root", root)
    _SECRET.option(owner, "secret", secret)
    _TEXT.option(owner, "base_url", base_url)
    flag().option(owner, "read_only", read_only)
    key = secret if secret is not None else secrets.token_bytes(32)
    url = f"{base_url.rstrip('/')}/{name}"

    def make() -> Backend:
        now = clock or time.time
        return LocalBackend(name, root, secret=key, base_url=url, read_only=read_only, clock=now)

    return _component(name, make)


def s3(
    name: str,
    *,
    bucket: str,
    access_key: str,
    secret_key: str,
    endpoint: str | None = None,
    region: str = "us-east-1",
    timeout: float = 60.0,
) -> Component:
    """A storage in an S3 bucket (AWS, or any S3-compatible server at ``endpoint``).

    Args:
        name: what commands call the storage.
        bucket: the bucket (it must exist).
        access_key: the access key ID requests are signed with.
        secret_key: its secret.
        endpoint: a custom server such as ``http://127.0.0.1:9000`` (path-style
            addressing); None for AWS (virtual-hosted style).
        region: the region signed for.
        timeout: seconds one HTTP request may take.
    """
    from .backends.s3 import S3Backend  # noqa: PLC0415 (httpx only when used)
    from .backends.sigv4 import Credentials  # noqa: PLC0415

    owner = f"cloudstorage.s3({name!r})"
    _TEXT.option("cloudstorage.s3", "name", name)
    _BUCKET.option(owner, "bucket", bucket)
    for field, value in (("access_key", access_key), ("secret_key", secret_key)):
        _TEXT.option(owner, field, value)
    text(optional=True, non_empty=True).option(owner, "endpoint", endpoint)
    _TEXT.option(owner, "region", region)
    duration(finite=True, positive=True).option(owner, "timeout", timeout)
    creds = Credentials(access_key, secret_key, region)

    def make() -> Backend:
        return S3Backend(name, bucket, creds, endpoint=endpoint, timeout=timeout)

    return _component(name, make)


def _component(name: str, make: Callable[[], Backend]) -> Component:
    running: dict[int, Backend] = {}

    def load(boot: Boot) -> None:
        boot.register_table(TABLE)

    async def start(boot: Boot) -> None:
        backend = make()
        await backend.open()
        running[id(boot.node)] = backend
        storages(boot.node)[name] = backend

    async def stop(boot: Boot) -> None:
        storages(boot.node).pop(name, None)
        await running.pop(id(boot.node)).close()

    return Component(f"cloudstorage.{name}", load=load, start=start, stop=stop)
