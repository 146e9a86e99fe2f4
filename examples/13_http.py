"""The http client: a request, a batch, a streamed body and a refused address.

The example serves a tiny ASGI app with hypercorn on 127.0.0.1 (a free port) inside its
own ``main``, so it needs no network. The node allows loopback explicitly: by default the
http module refuses every non-public address, after DNS resolution. The guide is
``docs/guides/http.md``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, cast

import trio
from hypercorn.config import Config
from hypercorn.trio import serve  # pyright: ignore[reportUnknownVariableType]

import actorkit
from actorkit.modules import http, stream

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """``/hello`` answers ``hello, actorkit``; anything else is a 404."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    found = scope["path"] == "/hello"
    body = b"hello, actorkit" if found else b"not here"
    await send({"type": "http.response.start", "status": 200 if found else 404, "headers": []})
    await send({"type": "http.response.body", "body": body})


MODULES = [stream.module(), http.module(allow_networks=http.LOOPBACK)]


async def fetch(proc: actorkit.Process, base: str) -> str:
    hello = await proc.call(http.Request("GET", f"{base}/hello", timeout=5))
    batch = await proc.call(
        http.RequestBatch(
            [http.Request("GET", f"{base}/hello"), http.Request("GET", f"{base}/nope")]
        )
    )
    statuses = [r.status_code if isinstance(r, http.Response) else r for r in batch]
    streamed = await proc.call(http.Request("GET", f"{base}/hello", stream=True))
    assert streamed.stream is not None
    first = await proc.call(stream.Read(streamed.stream, 5))
    await proc.call(stream.Close(streamed.stream))
    return f"{hello.status_code} {hello.text()}; batch {statuses}; streamed {first!r}"


async def refused(proc: actorkit.Process) -> str:
    """The metadata address of cloud machines is link-local: refused before connecting."""
    try:
        await proc.call(http.Request("GET", "http://169.254.169.254/latest/meta-data/"))
    except http.AddressRefusedError:
        return "169.254.169.254 refused"
    return "169.254.169.254 allowed"


async def main(proc: actorkit.Process) -> str:
    config = Config()
    config.bind = ["127.0.0.1:0"]
    config.errorlog = None  # keep hypercorn's log lines out of the output
    async with trio.open_nursery() as nursery:
        start = cast("Callable[..., Awaitable[None]]", serve)
        binds: list[str] = await nursery.start(start, app, config)
        line = f"{await fetch(proc, binds[0])}; {await refused(proc)}"
        nursery.cancel_scope.cancel()
    return line


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
