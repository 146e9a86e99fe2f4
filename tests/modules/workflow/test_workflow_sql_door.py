"""The workflow module reaches its database only through the sql module's public
statement API (``sql.statements``), and that API does what the journal relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from actorkit.modules import sql, workflow

from ._wf import Place, node_on

PACKAGE = Path(workflow.__file__).parent


def _sql_imports() -> list[str]:
    found: list[str] = []
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            found += [f"{path.name}: {n}" for n in names if n.startswith("actorkit.modules.sql.")]
    return found


def test_the_workflow_module_imports_only_sqls_public_names() -> None:
    private = [i for i in _sql_imports() if not _public(i.split(": ")[1])]
    assert private == []


def _public(name: str) -> bool:
    return name.removeprefix("actorkit.modules.sql.") in sql.__all__


async def test_statements_commit_roll_back_and_name_what_is_wrong(place: Place) -> None:
    async with node_on(place, {}) as node:
        with pytest.raises(sql.SqlError, match="no database named 'nope'"):
            sql.statements(node, "nope", what="a test")
        db = sql.statements(node, "wf", what="a test")
        assert db.kind == place.kind
        await db.execute("CREATE TABLE door (n INTEGER)")
        async with db.transaction() as tx:
            await tx.execute(f"INSERT INTO door VALUES ({place.ph()})", 1)
            with pytest.raises(sql.SqlError, match="do not nest"):
                async with tx.transaction():
                    pass
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as tx:
                await tx.execute(f"INSERT INTO door VALUES ({place.ph()})", 2)
                _ = 1 / 0
        rows = await db.query("SELECT n FROM door")
        assert rows.rows == [(1,)]
        with pytest.raises(sql.SqlError, match="a test"):
            await db.execute("INSERT INTO missing VALUES (1)")
