"""The demo: a supervised order desk on the embedded defaults (SQLite, memory store, clock).

A supervisor runs a ledger that records orders in SQLite and a cache of totals in the memory
store. One order is bad: the ledger crashes on it, the supervisor restarts it (the restart
shows up on the event bus), and the rest go on.
"""

from typing import cast

import actorkit
from actorkit.modules import embedded, event, sql, store

MODULES = embedded()  # clock, event bus, process groups, store "default", SQLite "default"


async def ledger(proc: actorkit.Process) -> None:
    await proc.call(sql.Execute("default", "CREATE TABLE IF NOT EXISTS orders (item, qty)"))
    async for msg in proc.messages():
        item, qty = cast("tuple[str, int]", msg.payload)
        if qty <= 0:
            raise ValueError(f"bad quantity for {item}: {qty}")  # let it crash
        await proc.call(sql.Execute("default", "INSERT INTO orders VALUES (?, ?)", (item, qty)))
        total: int = await proc.call(store.Get("default", item)) or 0
        await proc.call(store.Set("default", item, total + qty))
        if msg.sender is not None:
            await proc.send(msg.sender, "recorded", item)


desk = actorkit.Supervisor(
    [actorkit.ChildSpec("ledger", ledger, name="ledger")],
    backoff=actorkit.Backoff(initial=0.01),
)


async def main(proc: actorkit.Process) -> str:
    await proc.call(event.Subscribe("supervisor", "restart"))
    await proc.spawn(desk, name="desk", link=True)
    await actorkit.SupervisorClient(proc, "desk").which_children()  # the tree is up
    for order in [("tea", 2), ("cake", 1), ("tea", 0), ("tea", 3)]:
        await proc.send("ledger", "order", order)
        if order[1] > 0:
            await proc.receive(topic="recorded", timeout=1.0)
        else:  # the ledger crashed on it: wait for the supervisor to restart it
            await proc.receive(kind=event.BusEvent, timeout=1.0)
    rows = await proc.call(sql.Query("default", "SELECT item, SUM(qty) FROM orders GROUP BY item"))
    tea = await proc.call(store.Get("default", "tea"))
    restarts = proc.node.statistics().restarts
    return f"orders by item {sorted(rows.rows)}; cached tea total {tea}; restarts {restarts}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
