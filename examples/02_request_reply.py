"""Request/reply: a key-value server answers requests; each reply carries the request's ref."""

import itertools

import attrs

import actorkit


@attrs.frozen
class Request:
    ref: int
    op: str  # "put" or "get"
    key: str
    value: int | None = None


@attrs.frozen
class Reply:
    ref: int
    value: int | None


async def kv_server(proc: actorkit.Process) -> None:
    data: dict[str, int | None] = {}
    async for msg in proc.messages():
        req = msg.payload
        if not isinstance(req, Request) or msg.sender is None:
            continue
        if req.op == "put":
            data[req.key] = req.value
        await proc.send(msg.sender, "reply", Reply(req.ref, data.get(req.key)))


_refs = itertools.count(1)


async def request(proc: actorkit.Process, op: str, key: str, value: int | None = None) -> object:
    """Send a request and wait for the reply with the same ref; other messages stay queued."""
    ref = next(_refs)
    await proc.send("kv", "request", Request(ref, op, key, value))
    reply = await proc.receive(
        "reply", match=lambda m: isinstance(m.payload, Reply) and m.payload.ref == ref, timeout=1.0
    )
    assert isinstance(reply.payload, Reply)
    return reply.payload.value


async def main(proc: actorkit.Process) -> dict[str, object]:
    await proc.spawn(kv_server, name="kv", link=True)
    await request(proc, "put", "apples", 3)
    await request(proc, "put", "pears", 5)
    return {key: await request(proc, "get", key) for key in ("apples", "pears", "plums")}


if __name__ == "__main__":
    print(actorkit.run(main))
