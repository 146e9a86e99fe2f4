"""The groups of one pg scope, kept on the node (the backend until clustering comes).

Everything here is synchronous and runs on the node's one thread, so each operation is
atomic: ``monitor`` takes its snapshot and subscribes with nothing in between.
"""

from __future__ import annotations

from itertools import repeat
from typing import TYPE_CHECKING, Literal

from .commands import GroupChanged, GroupsSnapshot, Membership, Monitoring

if TYPE_CHECKING:
    from actorkit import PID, Node
    from actorkit.lowlevel import ProcessRef


class Scope:
    """One namespace of groups: members with join counts, and monitors."""

    __slots__ = (
        "_everything",
        "_groups",
        "_joined",
        "_monitors",
        "_next_ref",
        "_owned",
        "_watchers",
        "name",
        "node",
    )

    def __init__(self, node: Node, name: str) -> None:
        self.node = node
        self.name = name
        self._groups: dict[str, dict[ProcessRef, int]] = {}  # group -> member -> joins
        self._joined: dict[ProcessRef, dict[str, int]] = {}  # member -> group -> joins
        self._watchers: dict[str, dict[int, ProcessRef]] = {}  # group -> ref -> watcher
        self._everything: dict[int, ProcessRef] = {}  # ref -> watcher of every group
        # ref -> (watcher, group), group None for an Events subscription
        self._monitors: dict[int, tuple[ProcessRef, str | None]] = {}
        self._owned: dict[ProcessRef, set[int]] = {}  # watcher -> refs
        self._next_ref = 0

    # -- membership -----------------------------------------------------------------------

    def join(self, proc: ProcessRef, group: str) -> None:
        """Add one join of ``proc`` to ``group``."""
        members = self._groups.get(group)
        if members is None:
            members = self._groups[group] = {}
        members[proc] = members.get(proc, 0) + 1
        mine = self._joined.get(proc)
        if mine is None:
            mine = self._joined[proc] = {}
        mine[group] = mine.get(group, 0) + 1
        self._changed(group, "joined", (proc.pid,))

    def leave(self, proc: ProcessRef, group: str) -> bool:
        """Undo one join; False if ``proc`` is not in ``group``."""
        mine = self._joined.get(proc)
        if mine is None or group not in mine:
            return False
        members = self._groups[group]
        count = mine[group] - 1
        if count:
            mine[group] = members[proc] = count
        else:
            del mine[group], members[proc]
            if not members:
                del self._groups[group]
            if not mine:
                del self._joined[proc]
        self._changed(group, "left", (proc.pid,))
        return True

    def members(self, group: str) -> tuple[PID, ...]:
        """The members in order of first join, a PID once per join."""
        members = self._groups.get(group)
        if not members:
            return ()
        return tuple(pid for proc, n in members.items() for pid in repeat(proc.pid, n))

    def distinct(self, group: str) -> list[ProcessRef]:
        """Each member once (a snapshot)."""
        members = self._groups.get(group)
        return list(members) if members else []

    def which_groups(self) -> tuple[str, ...]:
        """The groups that have members, sorted."""
        return tuple(sorted(self._groups))

    # -- monitors -------------------------------------------------------------------------

    def monitor(self, watcher: ProcessRef, group: str) -> Monitoring:
        """Snapshot ``group`` and subscribe ``watcher`` to its changes (atomically)."""
        ref = self._subscribe(watcher, group)
        self._watchers.setdefault(group, {})[ref] = watcher
        return Monitoring(ref, self.members(group))

    def events(self, watcher: ProcessRef) -> GroupsSnapshot:
        """Snapshot every group and subscribe ``watcher`` to all changes (atomically)."""
        ref = self._subscribe(watcher, None)
        self._everything[ref] = watcher
        return GroupsSnapshot(ref, {group: self.members(group) for group in sorted(self._groups)})

    def _subscribe(self, watcher: ProcessRef, group: str | None) -> int:
        self._next_ref += 1
        ref = self._next_ref
        self._monitors[ref] = (watcher, group)
        self._owned.setdefault(watcher, set()).add(ref)
        return ref

    def demonitor(self, watcher: ProcessRef, ref: int) -> bool:
        """Drop ``watcher``'s subscription ``ref``; False if it holds no such one."""
        entry = self._monitors.get(ref)
        if entry is None or entry[0] is not watcher:
            return False
        refs = self._owned[watcher]
        refs.discard(ref)
        if not refs:
            del self._owned[watcher]
        self._unwatch(ref)
        return True

    def _unwatch(self, ref: int) -> None:
        _watcher, group = self._monitors.pop(ref)
        if group is None:
            del self._everything[ref]
            return
        watchers = self._watchers[group]
        del watchers[ref]
        if not watchers:
            del self._watchers[group]

    def _changed(self, group: str, kind: Literal["joined", "left"], pids: tuple[PID, ...]) -> None:
        watchers = self._watchers.get(group)
        if watchers:
            for ref, watcher in watchers.items():
                watcher.post(GroupChanged(ref, group, kind, pids))
        if self._everything:
            for ref, watcher in self._everything.items():
                watcher.post(GroupChanged(ref, group, kind, pids))
        self.node.emit("pg", f"member.{kind}", group, Membership(self.name, group, pids))

    # -- exits ----------------------------------------------------------------------------

    def on_exit(self, proc: ProcessRef, _result: object, _error: BaseException | None) -> None:
        """The node's exit hook: drop the process's monitors, then its memberships."""
        refs = self._owned.pop(proc, None)
        if refs is not None:
            for ref in refs:
                self._unwatch(ref)
        mine = self._joined.pop(proc, None)
        if mine is None:
            return
        for group, count in mine.items():
            members = self._groups[group]
            del members[proc]
            if not members:
                del self._groups[group]
            self._changed(group, "left", (proc.pid,) * count)

    def statistics(self) -> dict[str, int]:
        """Counts for a live view of the node."""
        return {
            "groups": len(self._groups),
            "members": len(self._joined),
            "monitors": len(self._monitors),
        }
