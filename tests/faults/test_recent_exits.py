"""Remembered exits keep what ``node.wait`` needs, not the frames of a crashed process."""

from __future__ import annotations

import gc
import weakref

import actorkit
from actorkit.testing import open_test_node


class Big:
    """Stands for a large local (a buffer, a model) held by a process when it crashes."""


async def crash_holding(proc: actorkit.Process, refs: list[weakref.ref[Big]]) -> None:
    big = Big()
    refs.append(weakref.ref(big))
    raise RuntimeError(f"crashed holding {type(big).__name__}")


async def test_recent_exit_drops_the_crashed_frames_locals() -> None:
    refs: list[weakref.ref[Big]] = []
    async with open_test_node() as node:
        pids = [node.spawn(crash_holding, refs) for _ in range(20)]
        exits = [await node.wait(pid) for pid in pids]
        gc.collect()
        assert [ref() for ref in refs] == [None] * 20
        again = await node.wait(pids[0])  # remembered after the process is gone
    assert {e.reason for e in exits} == {"error"}
    assert again.reason == "error"
    assert isinstance(again.error, RuntimeError)
    assert again.error.__traceback__ is not None  # the traceback itself is kept
    assert str(again.error) == "crashed holding Big"
