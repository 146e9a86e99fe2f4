"""SQL: an in-memory SQLite database shared by processes; rows, transactions, errors."""

import actorkit
from actorkit.modules import sql

MODULES = [sql.sqlite("main", ":memory:")]


async def transfer(proc: actorkit.Process, source: str, target: str, amount: int) -> str:
    """Move money between accounts in one transaction; all or nothing."""
    tx = await proc.call(sql.Begin("main"))
    try:
        take = "UPDATE accounts SET balance = balance - ? WHERE name = ?"
        await proc.call(sql.TxExecute(tx, take, (amount, source)))
        give = "UPDATE accounts SET balance = balance + ? WHERE name = ?"
        await proc.call(sql.TxExecute(tx, give, (amount, target)))
        await proc.call(sql.TxCommit(tx))
    except sql.SqlError as error:
        await proc.call(sql.TxRollback(tx))
        return f"{source}->{target} refused: {error.code}"
    return f"{source}->{target} {amount}"


async def main(proc: actorkit.Process) -> dict[str, object]:
    await proc.call(
        sql.Execute(
            "main",
            "CREATE TABLE accounts (name TEXT PRIMARY KEY, balance INTEGER CHECK (balance >= 0))",
        )
    )
    add = await proc.call(sql.Prepare("main", "INSERT INTO accounts VALUES (?, ?)"))
    for name, balance in [("ada", 100), ("bob", 20)]:
        await proc.call(sql.StmtExecute(add, (name, balance)))
    await proc.call(sql.StmtClose(add))

    for args in [("ada", "bob", 30), ("bob", "ada", 500)]:
        await proc.spawn(transfer, *args, monitor=True)
    outcomes = sorted([str((await proc.receive(kind=actorkit.Exit)).result) for _ in range(2)])

    rows = await proc.call(sql.Query("main", "SELECT name, balance FROM accounts ORDER BY name"))
    return {"transfers": outcomes, "accounts": rows.dicts()}


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
