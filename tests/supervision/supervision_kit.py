"""Workers, ways to kill them, and recorders shared by the supervision tests."""

from __future__ import annotations

from typing import Any, Literal, cast

import attrs
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.lowlevel import ProcessRef, RuntimeEvent

NO_BACKOFF = actorkit.Backoff(initial=0)
How = Literal["exception", "terminate", "linked"]
RestartType = Literal["permanent", "transient", "temporary"]
KILLS: tuple[How, ...] = ("exception", "terminate", "linked")


async def worker(proc: actorkit.Process) -> str:
    """Serves until told: ``crash`` raises, ``stop`` returns; a Cancel ends it normally."""
    async for msg in proc.messages():
        if msg.topic == "crash":
            raise RuntimeError(f"{proc.name} crashed")
        if msg.topic == "stop":
            return "stopped"
    return "cancelled"


async def crasher(proc: actorkit.Process) -> None:
    """Fails as soon as it runs."""
    raise RuntimeError("crashes at start")


async def stubborn(proc: actorkit.Process, cleanup: float) -> str:
    """Takes ``cleanup`` seconds to honour a Cancel."""
    await proc.receive(kind=actorkit.Cancel)
    await trio.sleep(cleanup)
    return "cleaned up"


async def linked_crash(proc: actorkit.Process, target: actorkit.PID) -> None:
    """Links to ``target``, then fails, taking it down."""
    await proc.link(target)
    raise RuntimeError("linked crash")


def spec(child_id: str, restart: RestartType = "permanent") -> actorkit.ChildSpec:
    """A ``worker`` child registered under its id."""
    return actorkit.ChildSpec(child_id, worker, name=child_id, restart=restart)


async def kill(proc: actorkit.Process, name: str, how: How) -> actorkit.PID:
    """Kill the process registered as ``name`` in one of three ways; return its PID."""
    pid = proc.whereis(name)
    assert pid is not None, f"{name} is not running"
    if how == "exception":
        await proc.send(pid, "crash")
    elif how == "terminate":
        await proc.terminate(pid, "killed by the test")
    else:
        await proc.spawn(linked_crash, pid)
    await trio.testing.wait_all_tasks_blocked()
    return pid


async def pids(client: actorkit.SupervisorClient) -> dict[str, actorkit.PID | None]:
    """Each child's PID by id."""
    return {info.id: info.pid for info in await client.which_children()}


@attrs.define
class Restart:
    """One restart the node reported."""

    time: float
    path: str
    child: str
    cause: str
    reason: str
    delay: float
    attempt: int


@attrs.define
class Recorder:
    """Records supervisor events and process exits (by name) as they happen."""

    restarts: list[Restart] = attrs.Factory(list[Restart])
    gave_up: list[str] = attrs.Factory(list[str])
    limits: list[str] = attrs.Factory(list[str])
    """Which limit each supervisor that gave up broke (``intensity`` or ``in_a_row``)."""
    exits: list[str] = attrs.Factory(list[str])

    def attach(self, node: actorkit.Node) -> Recorder:
        lowlevel.add_listener(node, self._on_event)
        lowlevel.add_exit_hook(node, self._on_exit)
        return self

    def _on_event(self, event: RuntimeEvent) -> None:
        if event.system != "supervisor":
            return
        data = cast("dict[str, Any]", event.data)
        if event.kind == "gave_up":
            self.gave_up.append(event.path)
            self.limits.append(str(data["limit"]))
            return
        self.restarts.append(
            Restart(
                trio.current_time(),
                str(data["supervisor"]),
                str(data["child"]),
                str(data["cause"]),
                str(data["reason"]),
                float(data["delay"]),
                int(data["attempt"]),
            )
        )

    def _on_exit(self, state: ProcessRef, _result: object, _error: BaseException | None) -> None:
        if state.function != "<borrowed>":
            self.exits.append(state.name or state.function)

    def restarted(self) -> list[str]:
        """The ids of the restarted children, in order."""
        return [r.child for r in self.restarts]


def live(node: actorkit.Node) -> set[actorkit.PID]:
    """The PIDs of every live process except borrowed handles."""
    return {p.pid for p in node.processes() if p.function != "<borrowed>"}
