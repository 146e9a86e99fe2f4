"""Request/reply: a key-value server answers requests with proc.reply."""

import actorkit


async def kv_server(proc: actorkit.Process) -> None:
    data: dict[str, int | None] = {}
    async for msg in proc.messages():
        match msg.topic, msg.payload:
            case "put", (str(key), int(value)):
                data[key] = value
                proc.reply(msg, value)
            case "get", str(key):
                proc.reply(msg, data.get(key))
            case _:
                proc.reply(msg, error=ValueError(f"cannot {msg.topic} {msg.payload!r}"))


async def main(proc: actorkit.Process) -> dict[str, object]:
    await proc.spawn(kv_server, name="kv", link=True)
    await proc.request("kv", "put", ("apples", 3), timeout=1.0)
    await proc.request("kv", "put", ("pears", 5), timeout=1.0)
    return {key: await proc.request("kv", "get", key) for key in ("apples", "pears", "plums")}


if __name__ == "__main__":
    print(actorkit.run(main))
