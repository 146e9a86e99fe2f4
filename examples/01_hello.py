"""Hello: a main process spawns a greeter, sends it a name and waits for the reply."""

import actorkit


async def greeter(proc: actorkit.Process) -> None:
    async for msg in proc.messages():
        if msg.sender is not None:
            await proc.send(msg.sender, "greeting", f"Hello, {msg.payload}!")


async def main(proc: actorkit.Process) -> str:
    pid = await proc.spawn(greeter, link=True)
    await proc.send(pid, "greet", "actorkit")
    reply = await proc.receive(topic="greeting", timeout=1.0)
    return str(reply.payload)


if __name__ == "__main__":
    print(actorkit.run(main))
