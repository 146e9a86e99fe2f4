"""Fixtures of the cloudstorage tests: ``box``, one node with storages on each backend.

The S3 backend runs against a real SeaweedFS server started once per session (see
:mod:`._weed`); without one the S3 cases skip, or fail under ACTORKIT_REQUIRE_SERVICES=1.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import attrs
import pytest

import actorkit
from actorkit.modules import cloudstorage, stream
from actorkit.testing import open_test_node, services_required

from ._weed import BUCKET, READER, WRITER, Weed, running_weed

KINDS = ["local", "s3"]


@pytest.fixture(scope="session")
def weed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Weed]:
    """The session's S3 server, or a skip (a failure when services are required)."""
    with running_weed(tmp_path_factory.mktemp("weed")) as server:
        if isinstance(server, str):
            if services_required():
                pytest.fail(server)
            pytest.skip(server)
        yield server


@attrs.frozen
class Box:
    """A node with the storage ``box`` (read-write) and ``ro`` (read-only) on ``kind``.

    Keys go under a prefix of their own (``box.key("a")``) so tests sharing one S3 bucket
    never see each other's objects.
    """

    node: actorkit.Node
    kind: str
    prefix: str
    root: Path | None = None
    endpoint: str | None = None

    def key(self, name: str) -> str:
        """``name`` under this test's prefix."""
        return self.prefix + name


def components(kind: str, tmp_path: Path, server: Weed | None) -> list[actorkit.Component]:
    """The ``box`` and ``ro`` storages on ``kind``."""
    if kind == "local":
        root = str(tmp_path / "objects")
        secret = b"0123456789abcdef0123"
        return [
            cloudstorage.local("box", root, secret=secret),
            cloudstorage.local("ro", root, secret=secret, read_only=True),
        ]
    assert server is not None
    return [
        cloudstorage.s3(
            "box", bucket=BUCKET, access_key=WRITER.access_key,
            secret_key=WRITER.secret_key, endpoint=server.endpoint,
        ),
        cloudstorage.s3(
            "ro", bucket=BUCKET, access_key=READER.access_key,
            secret_key=READER.secret_key, endpoint=server.endpoint,
        ),
    ]  # fmt: skip


@pytest.fixture(name="box", params=KINDS)
async def box_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Box]:
    """A node with the storages ``box`` and ``ro`` on each backend in turn."""
    kind: str = request.param
    server: Weed | None = request.getfixturevalue("weed") if kind == "s3" else None
    modules = [*components(kind, tmp_path, server), stream.module(allow_dirs=[tmp_path])]
    async with open_test_node(modules=modules) as node:
        yield Box(
            node,
            kind,
            f"t{uuid.uuid4().hex[:12]}/",
            tmp_path / "objects" if kind == "local" else None,
            server.endpoint if server else None,
        )
