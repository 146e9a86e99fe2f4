"""Store: a memory store shared by processes; values, TTLs, listing, compare-and-set."""

import actorkit
from actorkit.modules import store

MODULES = [store.memory("cache", max_size=1000)]


async def count_visit(proc: actorkit.Process, page: str) -> None:
    """Add one to a page's counter; retry when another process wrote in between."""
    key = f"visits:{page}"
    while True:
        item = await proc.call(store.Entry("cache", key))
        if item is None:
            put = store.Put("cache", key, 1, only_if_absent=True)
        else:
            put = store.Put("cache", key, item.value + 1, if_version=item.version)
        if await proc.call(put) is not None:
            return


async def main(proc: actorkit.Process) -> dict[str, object]:
    await proc.call(store.Set("cache", "session:42", {"user": "ada"}, ttl=60))
    session = await proc.call(store.Get("cache", "session:42"))

    pages = ["home"] * 10 + ["about"] * 3
    for page in pages:
        await proc.spawn(count_visit, page, monitor=True)
    for _ in pages:
        await proc.receive(kind=actorkit.Exit, timeout=5.0)

    keys = await proc.call(store.List("cache", prefix="visits:"))
    counts = {key: await proc.call(store.Get("cache", key)) for key in keys}
    return {"session": session, "visits": counts}


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
