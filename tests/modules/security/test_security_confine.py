"""Confining a process: a scope refuses every command it does not allow, to it and to its
children, and nothing happens for a refused command."""

from __future__ import annotations

from pathlib import Path

import pytest
import trio

import actorkit
from actorkit import lowlevel
from actorkit.modules import clock, contract, function, sql, store
from actorkit.modules import security as sec
from actorkit.modules.security import Actor, PermissionDenied, Scope, allow, deny
from actorkit.testing import open_test_node

from ._kit import READER, WRITER, modules


async def test_confine_refuses_what_the_scope_does_not_allow_and_nothing_happens() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        await proc.call(store.Set("cache", "k", "old"))
        sec.set_scope(proc, READER, actor=Actor("job"))
        assert await proc.call(store.Get("cache", "k")) == "old"
        with pytest.raises(PermissionDenied) as caught:
            await proc.call(store.Set("cache", "k", "new"))
        assert caught.value.action == "store.set"
        assert caught.value.resource == "cache"
        assert str(caught.value) == "Set (id=121): permission denied: store.set on 'cache'"
        assert isinstance(caught.value, actorkit.CommandError)
        assert await proc.call(store.Get("cache", "k")) == "old"  # only that call failed
        async with node.process() as free:
            assert await free.call(store.Delete("cache", "k"))  # others pass untouched


async def test_confine_refuses_every_module_it_is_not_allowed(tmp_path: Path) -> None:
    db = sql.sqlite("main", tmp_path / "main.db")
    async with open_test_node(modules=[*modules(), db]) as node, node.process() as proc:
        sec.set_scope(proc, READER)
        refused = [
            (store.Set("cache", "k", 1), "store.set"),
            (store.Get("tokens", "k"), "store.get"),
            (sql.Execute("main", "CREATE TABLE t (x)"), "sql.execute"),
            (sql.Query("main", "SELECT 1"), "sql.query"),
            (function.Call("add", (1, 2)), "function.call"),
            (clock.Sleep(0), "clock.sleep"),
            (sec.CreateToken("root", ("writer",)), "security.create_token"),
        ]
        for cmd, action in refused:
            with pytest.raises(PermissionDenied) as caught:
                await proc.call(cmd)
            assert caught.value.action == action
        async with node.process() as free:
            rows = await free.call(sql.Query("main", "SELECT name FROM sqlite_master"))
            assert rows.rows == []  # the refused CREATE TABLE did not run


async def test_confine_a_child_inherits_and_cannot_do_it_for_its_parent() -> None:
    scope = Scope("spawner", [allow("store.get", "cache"), allow("process.spawn")])

    async def helper(proc: actorkit.Process) -> None:
        await proc.call(store.Set("cache", "k", "by the child"))

    async with open_test_node(modules=modules()) as node, node.process() as proc:
        sec.set_scope(proc, scope)
        exit_ = await node.wait(await proc.spawn(helper))
        assert isinstance(exit_.error, PermissionDenied)
        assert exit_.error.action == "store.set"
        assert await proc.call(store.Get("cache", "k")) is None
        sec.set_scope(proc, READER)  # narrowed: no spawn any more
        with pytest.raises(PermissionDenied, match=r"process\.spawn"):
            await proc.spawn(helper)


async def test_confine_narrows_and_never_widens() -> None:
    async with open_test_node(modules=modules()) as node, node.process() as proc:
        sec.set_scope(proc, WRITER, actor=Actor("w"))
        await proc.call(store.Set("cache", "k", 1))
        ident = sec.set_scope(proc, READER)  # both layers must allow now
        assert [s.name for s in ident.layers] == ["writer", "reader"]
        with pytest.raises(PermissionDenied):
            await proc.call(store.Set("cache", "k", 2))
        sec.set_scope(proc, Scope("all", [allow("*")]))  # a broad layer adds nothing
        with pytest.raises(PermissionDenied):
            await proc.call(store.Set("cache", "k", 3))
        with pytest.raises(PermissionDenied, match=r"security\.set_actor"):
            sec.set_scope(proc, WRITER, actor=Actor("root"))
        assert await proc.call(store.Get("cache", "k")) == 1


async def test_confine_sends_only_where_allowed_by_name_or_pid(
    autojump_clock: trio.abc.Clock,
) -> None:
    scope = Scope("s", [allow("process.send"), deny("process.send", "admin")])
    async with (
        open_test_node(modules=modules()) as node,
        node.process(name="admin") as admin,
        node.process(name="log") as log,
        node.process() as proc,
    ):
        sec.set_scope(proc, scope)
        await proc.send("log", "hi", 1)
        await proc.send(log.pid, "hi", 2)
        for dest in ("admin", admin.pid):  # the PID of a named process maps to its name
            with pytest.raises(PermissionDenied, match="'admin'"):
                await proc.send(dest, "rm", None)
        assert [(await log.receive()).payload for _ in range(2)] == [1, 2]
        with trio.move_on_after(1):
            await admin.receive()
            pytest.fail("a refused message arrived")


async def test_confine_a_confined_child_runs_under_both_scopes() -> None:
    async def worker(proc: actorkit.Process) -> object:
        await proc.call(store.Get("cache", "k"))
        return await proc.call(store.Set("cache", "k", 1))

    async with open_test_node(modules=modules()) as node, node.process() as proc:
        exit_ = await node.wait(await proc.spawn(sec.confined(worker, READER)))
        assert isinstance(exit_.error, PermissionDenied)
        assert exit_.error.action == "store.set"


async def test_confine_run_as_and_declared_mappings() -> None:
    @actorkit.command(id=65131)
    class Launch(actorkit.Command[str]):
        target: str

    def handle(ctx: lowlevel.HandlerContext, cmd: Launch, tag: int, rcv: lowlevel.Receiver):  # type: ignore[no-untyped-def]
        rcv.complete_yield(tag, f"launched {cmd.target}", None)

    sec.declare(Launch, "rockets.launch", lambda cmd: cmd.target)
    scope = Scope("s", [allow("rockets.launch", "moon", actor={"rank": "captain"})])
    mods = [*modules(), actorkit.handlers("rockets", {Launch: handle})]
    async with open_test_node(modules=mods) as node:
        async with sec.run_as(node, Actor("kirk", {"rank": "captain"}), scope) as kirk:
            assert await kirk.call(Launch("moon")) == "launched moon"
            with pytest.raises(PermissionDenied, match=r"rockets\.launch on 'mars'"):
                await kirk.call(Launch("mars"))
            assert sec.identity(kirk) is not None
        async with sec.run_as(node, Actor("ensign", {"rank": "ensign"}), scope) as ensign:
            with pytest.raises(PermissionDenied):
                await ensign.call(Launch("moon"))
        async with sec.run_as(node, Actor("nobody")) as nobody:  # no scope: nothing allowed
            with pytest.raises(PermissionDenied):
                await nobody.call(Launch("moon"))


async def test_confine_needs_the_module_booted() -> None:
    async with open_test_node() as node, node.process() as proc:
        with pytest.raises(sec.SecurityError, match="not booted"):
            sec.set_scope(proc, READER)
        assert sec.identity(proc) is None


async def test_confine_a_request_goes_through_the_scope(autojump_clock: trio.abc.Clock) -> None:
    async with (
        open_test_node(modules=modules()) as node,
        node.process(name="admin") as admin,
        node.process() as proc,
    ):
        sec.set_scope(proc, READER)
        async with trio.open_nursery() as nursery:
            nursery.start_soon(admin.receive)
            with pytest.raises(PermissionDenied):  # a request is a Send the scope checks
                await proc.request("admin", "rm", None, timeout=1)
            nursery.cancel_scope.cancel()


async def test_confine_a_contract_binding_cannot_do_it_for_it() -> None:
    writes: list[object] = []

    def write(value: object) -> None:
        writes.append(value)

    api = contract.Contract(
        "api", {"write": contract.Method(int, None), "read": contract.Method(int, int)}
    )
    bound = contract.functions("api", "local", {"write": write, "read": lambda v: v})
    mods = [*modules(), contract.module([api], [bound])]
    scope = Scope("s", [allow("contract.call", "api.read"), allow("contract.open", "api")])
    async with open_test_node(modules=mods) as node, node.process() as proc:
        sec.set_scope(proc, scope)
        handle = await proc.call(contract.Open("api"))
        assert await proc.call(contract.Call(handle, "read", 7)) == 7
        for cmd in (contract.Call(handle, "write", 1), contract.AsyncCall("api", "write", 2)):
            with pytest.raises(PermissionDenied, match=r"contract\.call on 'api\.write'"):
                await proc.call(cmd)
        with pytest.raises(PermissionDenied, match="'add'"):
            await proc.call(function.Call("add", (1, 2)))
        assert writes == []


async def test_confine_a_child_stays_confined_after_its_parent_crashes() -> None:
    scope = Scope("s", [allow("process.spawn"), allow("store.get")])

    async def child(proc: actorkit.Process) -> object:
        await proc.receive(topic="go")
        return await proc.call(store.Set("cache", "k", "late"))

    async def parent(proc: actorkit.Process) -> None:
        sec.set_scope(proc, scope)
        await proc.spawn(child, name="orphan")
        raise RuntimeError("the parent crashes")

    async with open_test_node(modules=modules()) as node, node.process() as free:
        exit_ = await node.wait(node.spawn(parent))
        assert isinstance(exit_.error, RuntimeError)
        await free.monitor("orphan")
        await free.send("orphan", "go", None)
        gone = await free.receive(kind=actorkit.Exit)
        assert isinstance(gone.error, PermissionDenied)
        assert await free.call(store.Get("cache", "k")) is None


async def test_confine_as_a_spawn_option_narrows_before_the_child_runs() -> None:
    seen: list[sec.Identity | None] = []

    async def worker(proc: actorkit.Process) -> object:
        seen.append(sec.identity(proc))
        return await proc.call(store.Set("cache", "k", 1))  # its first command

    async with open_test_node(modules=modules()) as node, node.process() as proc:
        child = await proc.spawn(sec.confined(worker, READER, actor=Actor("report-job")))
        exit_ = await node.wait(child)
        assert isinstance(exit_.error, PermissionDenied)
        assert exit_.error.action == "store.set"
        assert [(i.actor.id, [s.name for s in i.layers]) for i in seen if i] == [
            ("report-job", ["reader"])
        ]
        assert sec.identity(proc) is None  # the parent is not narrowed
        assert await proc.call(store.Get("cache", "k")) is None


async def test_confine_as_a_spawn_option_keeps_a_confined_parent_actor() -> None:
    async def worker(proc: actorkit.Process) -> list[str]:
        ident = sec.identity(proc)
        assert ident is not None
        return [ident.actor.id, *(s.name for s in ident.layers)]

    async with open_test_node(modules=modules()) as node, node.process() as proc:
        sec.set_scope(proc, Scope("spawner", [allow("*")]), actor=Actor("boss"))
        done = await node.wait(await proc.spawn(sec.confined(worker, READER)))
        assert done.result == ["boss", "spawner", "reader"]
        other = sec.confined(worker, READER, actor=Actor("someone-else"))
        refused = await node.wait(await proc.spawn(other))
        assert isinstance(refused.error, PermissionDenied)
        assert refused.error.action == "security.set_actor"
