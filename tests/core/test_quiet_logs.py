"""Outcomes a caller handles are not logged as failures; a receive timeout says what it wanted."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import pytest
import structlog.testing
import trio

import actorkit
from actorkit.testing import open_test_node


def info_events(logs: list[MutableMapping[str, Any]]) -> list[tuple[object, object]]:
    return [(e["event"], e["log_level"]) for e in logs if e["log_level"] != "debug"]


async def test_caught_full_mailbox_and_dead_letter_log_once() -> None:
    async with open_test_node(mailbox_size=1) as node, node.process() as proc:
        target = await proc.spawn(_idle)
        proc.send_nowait(target, "fill")
        with structlog.testing.capture_logs() as logs, pytest.raises(trio.WouldBlock):
            proc.send_nowait(target, "more")
        assert info_events(logs) == []
        with structlog.testing.capture_logs() as logs, pytest.raises(actorkit.NoProcessError):
            await proc.send("nobody", "x")
        assert info_events(logs) == [("dead_letter", "info")]


async def _idle(proc: actorkit.Process) -> None:
    await proc.receive(kind=actorkit.Cancel)


async def test_receive_timeout_names_what_it_waited_for(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(trio.TooSlowError, match=r"no Message with topic 'ready' within 1"):
            await proc.receive("ready", timeout=1)
        with pytest.raises(trio.TooSlowError, match=r"no Exit or Completion matching"):
            await proc.receive(kind=(actorkit.Exit, actorkit.Completion), match=bool, timeout=1)
