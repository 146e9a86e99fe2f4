"""Workflow: an order saga journaled in SQLite; a failed payment is compensated.

Each step is an activity called through ``workflow.Call``: its result is journaled, so
after a crash the order resumes where it was without reserving or charging twice. The
order row is written by a transactional activity, in the transaction that journals it.
"""

import tempfile
from pathlib import Path

import actorkit
from actorkit.modules import sql, workflow

DB = Path(tempfile.mkdtemp(prefix="actorkit-workflow-")) / "orders.db"
ONCE = workflow.Retry(attempts=1)


async def reserve(act: workflow.Activity, item: str) -> str:
    return f"{item} reserved"


async def release(act: workflow.Activity, item: str) -> str:
    return f"{item} released"


async def charge(act: workflow.Activity, card: str, amount: int) -> int:
    if card == "declined":
        raise ValueError("card declined")
    return amount


@workflow.transactional
async def record(act: workflow.Activity, order_id: str, item: str) -> None:
    await act.execute("INSERT INTO orders (id, item) VALUES (?, ?)", order_id, item)


async def order(proc: actorkit.Process, order_id: str, item: str, card: str) -> str:
    await proc.call(workflow.Call("reserve", (item,)))
    try:
        paid = await proc.call(workflow.Call("charge", (card, 5), retry=ONCE))
    except ValueError as exc:  # the activity's exception (replay rebuilds it from the journal)
        await proc.call(workflow.Call("release", (item,)))  # the compensation step
        return f"{order_id} cancelled, {item} released ({exc})"
    await proc.call(workflow.Call("record", (order_id, item)))
    return f"{order_id} paid {paid} for {item}"


MODULES = [
    sql.sqlite("shop", DB),
    workflow.module(
        "shop",
        workflows={"order": order},
        activities={"reserve": reserve, "release": release, "charge": charge, "record": record},
    ),
]


async def main(proc: actorkit.Process) -> str:
    await proc.call(sql.Execute("shop", "CREATE TABLE IF NOT EXISTS orders (id TEXT, item TEXT)"))
    await proc.call(workflow.Start("o-1", "order", ("o-1", "tea", "visa")))
    await proc.call(workflow.Start("o-2", "order", ("o-2", "cake", "declined")))
    await proc.call(workflow.Start("o-1", "order", ("o-1", "tea", "visa")))  # idempotent
    results = [await workflow.result(proc, wid) for wid in ("o-1", "o-2")]
    rows = await proc.call(sql.Query("shop", "SELECT count(*) FROM orders"))
    return f"{'; '.join(results)}; orders recorded: {rows.scalar()}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
