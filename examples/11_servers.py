"""Servers: a chat room as a Server, and a job queue served by a pool of 3 workers.

Run it with ``python examples/11_servers.py`` or ``actorkit run examples/11_servers.py:main``.
"""

import attrs

import actorkit
from actorkit.modules import clock
from actorkit.servers import Call, call, cast

MODULES = [clock.module()]


@attrs.frozen
class History(Call[list[str]]):
    """Ask the room for what was said (the reply is a list of lines)."""


class Room(actorkit.Server[list[str]]):
    def init(self, proc: actorkit.Process) -> list[str]:
        return []

    def handle_cast(self, msg: object, state: list[str]) -> list[str]:
        return [*state, str(msg)]

    def handle_call(self, request: object, state: list[str]) -> tuple[list[str], list[str]]:
        return list(state), state


# The room's API: plain functions; callers never see the protocol.
async def say(proc: actorkit.Process, who: str, text: str) -> None:
    await cast(proc, "room", f"{who}: {text}")


async def history(proc: actorkit.Process) -> list[str]:
    return await call(proc, "room", History())


async def square(proc: actorkit.Process, job: int) -> int:
    """The pool's work: each worker answers a call with this."""
    await proc.call(clock.Sleep(0.01))
    return job * job


async def client(proc: actorkit.Process, job: int, owner: actorkit.PID) -> None:
    result = await call(proc, "jobs", job)  # waits for a free worker: 3 run at a time
    await say(proc, f"client {job}", f"{job}^2 = {result}")
    await proc.send(owner, "done", job)


async def main(proc: actorkit.Process) -> str:
    await Room.start(proc, name="room", link=True)
    await actorkit.pool(square, size=3, name="jobs").start(proc, link=True)
    for job in range(1, 7):
        await proc.spawn(client, job, proc.pid, link=True)
    for _ in range(6):
        await proc.receive(topic="done", timeout=5.0)
    lines = sorted(await history(proc))
    return f"the room heard {len(lines)} results: {lines[0]} ... {lines[-1]}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
