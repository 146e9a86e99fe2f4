"""Virtual actors (Orleans' grains): a ``(kind, key)`` that is always addressable.

The first message for a grain places it on a node (the placement policy picks a candidate;
the ``place`` script keeps whichever live owner Redis already holds, so there is at most one
owner cluster-wide) and the owner activates it: ``fn(process, key)`` registered under the
kind. An activation idle for ``idle_after`` is deactivated: its claim is released first
(messages that arrive meanwhile wait), then it gets ``Cancel("idle")``. One that crashes
keeps its claim: the next message activates it again on the same node. When the owner's
node goes down its claims are released with it, and the next message places the grain
again, on a live node.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import trio

from actorkit import PID
from actorkit.lowlevel import Cancel, Message, lookup

from . import frames as f
from .durable import Durable
from .errors import ClusterArgumentError, UnknownFunctionError
from .inbound import deliver
from .state import Pending

if TYPE_CHECKING:
    from actorkit.lowlevel import ProcessRef

    from .state import ClusterState

Grain = tuple[str, str]
PLACEMENTS = ("random", "local", "hash")


class Activations:
    """This node's activations and its cache of where other grains live."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.local: dict[Grain, ProcessRef] = {}
        self.grain_of: dict[ProcessRef, Grain] = {}
        self.last: dict[Grain, float] = {}
        self.owners: dict[Grain, tuple[str, int]] = {}
        self.moving: dict[Grain, trio.Event] = {}  # being deactivated: wait, then place again
        self.activated = 0

    # -- where a grain lives ---------------------------------------------------------------

    async def owner(self, grain: Grain) -> str:
        """The node that owns ``grain``, placing it first if nobody does."""
        state = self.state
        cached = self.owners.get(grain)
        if cached is not None and state.members.get(cached[0]) == cached[1]:
            return cached[0]
        candidate = await self._choose(grain)
        reply = await state.scripts.place(
            args=(state.prefix, _grain_id(grain), f"{candidate}|{state.members[candidate]}")
        )
        assert isinstance(reply, bytes)
        node, creation = reply.decode().rsplit("|", 1)
        self.owners[grain] = (node, int(creation))
        return node

    async def _choose(self, grain: Grain) -> str:
        """A live node that hosts the grain's kind, by the placement policy."""
        state = self.state
        placement = state.options.placement
        local = grain[0] in state.options.virtual
        if local and (placement == "local" or len(state.members) <= 1):
            return state.name
        hosts = await state.redis.execute("SMEMBERS", f"{state.prefix}kinds:{grain[0]}")
        assert isinstance(hosts, list)
        names = {bytes(h).decode() for h in hosts}  # type: ignore[arg-type]
        nodes = sorted(n for n in names if n in state.members or n == state.name)
        if not nodes:
            raise ClusterArgumentError(
                "virtual actor", "kind", "a kind some live node hosts", grain[0]
            )
        if placement == "hash":
            return nodes[zlib.crc32(_grain_id(grain).encode()) % len(nodes)]
        return random.choice(nodes)

    # -- sending and locating --------------------------------------------------------------

    async def send(self, sender: PID, grain: Grain, topic: str, payload: object) -> None:
        """Deliver a message to ``grain``, activating it where it is placed."""
        node = await self.owner(grain)
        if node == self.state.name:
            await self._deliver_here(grain, Message(topic, payload, sender))
        else:
            frame = [f.VMSG, grain[0], grain[1], sender, topic, payload]
            self.state.queue(node, frame, f"message {topic!r}")

    async def locate(
        self, grain: Grain, answer: Callable[[object, BaseException | None], None]
    ) -> None:
        """Find (activating if needed) ``grain``'s PID; ``answer(pid, error)`` gets it."""
        state = self.state
        node = await self.owner(grain)
        if node == state.name:
            answer(await self._activate_here(grain), None)
            return
        ref = next(state.refs)
        state.pending[ref] = Pending(node, answer)
        state.queue(node, [f.ACTIVATE, state.name, ref, grain[0], grain[1]], "an activation")

    async def on_frame(self, frame: list[Any]) -> None:
        """A VMSG or ACTIVATE frame from another node."""
        if frame[0] == f.VMSG:
            _, kind, key, sender, topic, payload = frame
            await self._arrived((kind, key), Message(topic, payload, sender))
            return
        _, asker, ref, kind, key = frame
        grain = (kind, key)
        try:
            value: object = await self._activate_owned(grain)
            error: BaseException | None = None
        except Exception as exc:  # the asking node's call fails with it
            value, error = None, exc
        self.state.queue(asker, [f.SPAWNED, None, ref, value, error], "an answer")

    # -- activations on this node ----------------------------------------------------------

    async def _arrived(self, grain: Grain, msg: Message) -> None:
        """A message for a grain this node was told it owns: check, then deliver or forward."""
        node = await self._owner_after_move(grain)
        if node == self.state.name:
            await self._deliver_here(grain, msg)
        else:
            frame = [f.VMSG, grain[0], grain[1], msg.sender, msg.topic, msg.payload]
            self.state.queue(node, frame, "a forwarded message")

    async def _activate_owned(self, grain: Grain) -> PID:
        node = await self._owner_after_move(grain)
        if node != self.state.name:
            raise UnknownFunctionError(f"grain {_grain_id(grain)} is owned by node {node}")
        return await self._activate_here(grain)

    async def _owner_after_move(self, grain: Grain) -> str:
        moving = self.moving.get(grain)
        if moving is not None:
            await moving.wait()
        if grain in self.local:
            return self.state.name
        self.owners.pop(grain, None)
        return await self.owner(grain)

    async def _deliver_here(self, grain: Grain, msg: Message) -> None:
        await self._activate_here(grain)
        await deliver(self.state, self.local[grain].pid, msg)

    async def _activate_here(self, grain: Grain) -> PID:
        moving = self.moving.get(grain)
        if moving is not None:
            await moving.wait()
        self.last[grain] = trio.current_time()
        proc = self.local.get(grain)
        if proc is not None and proc.alive:
            return proc.pid
        fn = self.state.options.virtual.get(grain[0])
        if fn is None or isinstance(fn, Durable):
            raise UnknownFunctionError(f"node {self.state.name} hosts no virtual kind {grain[0]!r}")
        pid = self.state.node.spawn(fn, grain[1])
        proc = lookup(self.state.node, pid)
        assert proc is not None
        self.local[grain] = proc
        self.grain_of[proc] = grain
        self.activated += 1
        return pid

    def on_exit(self, proc: ProcessRef, result: object, error: BaseException | None) -> None:
        """An activation ended (a crash keeps the claim: the next message reactivates it)."""
        grain = self.grain_of.pop(proc, None)
        if grain is not None and self.local.get(grain) is proc:
            del self.local[grain]
            self.last.pop(grain, None)

    async def deactivate_idle(self) -> None:
        """Deactivate activations idle for ``idle_after``, forever."""
        idle_after = self.state.options.idle_after
        while True:
            await trio.sleep(idle_after / 4)
            now = trio.current_time()
            for grain in [g for g, t in self.last.items() if now - t >= idle_after]:
                await self._deactivate(grain)

    async def _deactivate(self, grain: Grain) -> None:
        state = self.state
        moving = self.moving[grain] = trio.Event()
        try:
            await state.scripts.release_grain(args=(state.prefix, _grain_id(grain), state.owner))
            proc = self.local.pop(grain, None)
            self.last.pop(grain, None)
            self.owners.pop(grain, None)
            if proc is not None:
                self.grain_of.pop(proc, None)
                proc.post(Cancel("idle", None))
        finally:
            del self.moving[grain]
            moving.set()

    def node_down(self, node: str) -> None:
        """Forget where grains of a node that went down lived (they are placed again)."""
        for grain in [g for g, (n, _) in self.owners.items() if n == node]:
            del self.owners[grain]


def _grain_id(grain: Grain) -> str:
    return f"{grain[0]}/{grain[1]}"
