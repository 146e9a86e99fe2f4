"""Outgoing frames, batched per destination node: one Redis round trip carries them all.

Frames are encoded when they are queued (so a payload that cannot cross fails the
sender's call) and pushed by one task, one push at a time: what queues while a push is in
flight goes in the next, and order per destination is the order of queueing.
"""

from __future__ import annotations

import trio

from .codec import batch


class Outbox:
    """Frames waiting for the next push, grouped by (node, creation)."""

    def __init__(self) -> None:
        self._frames: dict[tuple[str, int], list[bytes]] = {}
        self._ready = trio.Event()
        self.pushed = 0  # frames
        self.batches = 0  # pushes
        self.dropped = 0  # batches for nodes that had gone when they were pushed
        self.lost = 0  # batches whose push may or may not have reached Redis

    def put(self, node: str, creation: int, frame: bytes) -> None:
        """Queue one encoded frame for ``node`` in its life ``creation``."""
        self._frames.setdefault((node, creation), []).append(frame)
        self._ready.set()

    async def take(self) -> dict[tuple[str, int], bytes]:
        """Wait for frames, then take everything queued, one batch per destination."""
        await self._ready.wait()
        return self.take_now()

    def take_now(self) -> dict[tuple[str, int], bytes]:
        """Take everything queued now (maybe nothing), one batch per destination."""
        self._ready = trio.Event()
        frames, self._frames = self._frames, {}
        self.pushed += sum(len(f) for f in frames.values())
        self.batches += 1
        return {dest: batch(queued) for dest, queued in frames.items()}
