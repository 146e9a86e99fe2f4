"""A supervised application: a tree of two services; one crashes once and is restarted."""

import actorkit

MODULES: list[actorkit.Component] = []  # supervision is part of the core


async def counter(proc: actorkit.Process) -> None:
    total = 0
    async for msg in proc.messages():
        if msg.topic == "add" and isinstance(msg.payload, int):
            total += msg.payload
        elif msg.sender is not None:
            await proc.send(msg.sender, "total", total)


async def greeter(proc: actorkit.Process, owner: actorkit.PID) -> None:
    await proc.send(owner, "ready", proc.pid)  # at every start, restarts included
    async for msg in proc.messages():
        if msg.topic == "boom":
            raise RuntimeError("the greeter tripped")
        if msg.sender is not None:
            await proc.send(msg.sender, "greeting", f"Hello, {msg.payload}!")


def application(owner: actorkit.PID) -> actorkit.Supervisor:
    return actorkit.Supervisor(
        [
            actorkit.ChildSpec("counter", counter, name="counter"),
            actorkit.ChildSpec("greeter", greeter, (owner,), name="greeter"),
        ],
        strategy="one_for_one",
        backoff=actorkit.Backoff(initial=0.01),  # first restart after about 10 ms
    )


async def main(proc: actorkit.Process) -> str:
    await proc.spawn(application(proc.pid), name="app", link=True)
    first = await proc.receive(topic="ready", timeout=1.0)
    await proc.send("counter", "add", 2)
    await proc.send("greeter", "boom")  # the greeter crashes ...
    again = await proc.receive(topic="ready", timeout=1.0)  # ... and is restarted
    await proc.send("greeter", "greet", "again")
    greeting = await proc.receive(topic="greeting", timeout=1.0)
    await proc.send("counter", "get")
    total = await proc.receive(topic="total", timeout=1.0)  # the counter was left alone
    children = await actorkit.SupervisorClient(proc, "app").which_children()
    status = ", ".join(f"{child.id} {child.status}" for child in children)
    return (
        f"{greeting.payload} total={total.payload}; "
        f"greeter {first.payload} -> {again.payload}; {status}"
    )


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
