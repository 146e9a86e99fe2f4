"""Cluster-wide names and groups, kept in Redis.

A name is registered atomically (the ``register`` script: a name held by a live process
of a live node is refused); a group is a Redis set of PIDs. Both are released when their
process exits (this node runs the release) and when their node goes down (the ``down``
script releases everything the node held). A release after an exit is published as the
runtime event ``("cluster", "released", pid, {"names": [...], "groups": [...]})``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from actorkit import PID

if TYPE_CHECKING:
    from actorkit.lowlevel import ProcessRef

    from .state import ClusterState


class Directory:
    """This node's side of the cluster's names and groups."""

    def __init__(self, state: ClusterState) -> None:
        self.state = state
        self.names_of: dict[ProcessRef, set[str]] = {}
        self.groups_of: dict[ProcessRef, set[str]] = {}

    async def register(self, proc: ProcessRef, name: str) -> bool:
        """Give ``proc`` the name; False if a live process elsewhere holds it."""
        state = self.state
        pid = state.codec.pid_text(proc.pid)
        held = await state.scripts.register(args=(state.prefix, name, pid))
        if held is not None or not proc.alive:
            return False
        self.names_of.setdefault(proc, set()).add(name)
        return True

    async def unregister(self, proc: ProcessRef, name: str) -> bool:
        """Release ``name`` if ``proc`` holds it."""
        names = self.names_of.get(proc)
        if names is not None:
            names.discard(name)
        return await self._release_name(proc.pid, name)

    async def whereis(self, name: str) -> PID | None:
        """Who holds ``name``, or None."""
        state = self.state
        held = await state.redis.execute("HGET", state.prefix + "names", name)
        if not isinstance(held, bytes):
            return None
        pid = state.codec.parse_pid(held)
        return pid if pid.node in state.members or pid.node == state.name else None

    async def join(self, proc: ProcessRef, group: str) -> None:
        """Add ``proc`` to ``group``."""
        state = self.state
        pid = state.codec.pid_text(proc.pid)
        await state.redis.pipeline(
            [
                ("SADD", f"{state.prefix}group:{group}", pid),
                ("SADD", f"{state.prefix}nodegroups:{state.name}", f"{pid}\0{group}"),
            ]
        )
        self.groups_of.setdefault(proc, set()).add(group)

    async def leave(self, proc: ProcessRef, group: str) -> bool:
        """Take ``proc`` out of ``group``; False if it was not in it."""
        groups = self.groups_of.get(proc)
        if groups is not None:
            groups.discard(group)
        return await self._leave(proc.pid, group)

    async def members(self, group: str) -> tuple[PID, ...]:
        """The members of ``group`` on live nodes, by node then serial."""
        state = self.state
        raw = await state.redis.execute("SMEMBERS", f"{state.prefix}group:{group}")
        assert isinstance(raw, list)
        pids = [state.codec.parse_pid(bytes(item)) for item in raw]  # type: ignore[arg-type]
        live = [p for p in pids if p.node == state.name or p.node in state.members]
        return tuple(sorted(live, key=lambda p: (p.node, p.serial)))

    def on_exit(self, proc: ProcessRef, result: object, error: BaseException | None) -> None:
        """Release what an exited process held, in the background."""
        names = self.names_of.pop(proc, set())
        groups = self.groups_of.pop(proc, set())
        if names or groups:
            self.state.nursery.start_soon(self._release_all, proc.pid, names, groups)

    async def _release_all(self, pid: PID, names: set[str], groups: set[str]) -> None:
        for name in names:
            await self._release_name(pid, name)
        for group in groups:
            await self._leave(pid, group)
        released = {"names": sorted(names), "groups": sorted(groups)}
        self.state.node.emit("cluster", "released", str(pid), released)

    async def _release_name(self, pid: PID, name: str) -> bool:
        state = self.state
        text = state.codec.pid_text(pid)
        return await state.scripts.unregister(args=(state.prefix, name, text)) == 1

    async def _leave(self, pid: PID, group: str) -> bool:
        state = self.state
        text = state.codec.pid_text(pid)
        removed, _ = await state.redis.pipeline(
            [
                ("SREM", f"{state.prefix}group:{group}", text),
                ("SREM", f"{state.prefix}nodegroups:{state.name}", f"{text}\0{group}"),
            ]
        )
        return removed == 1
