"""CreateProcess (id=172): Lua processes next to Python processes."""

from __future__ import annotations

import gc

import pytest
import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.errors import LinkedExitError, TerminatedError
from actorkit.modules import clock, sql, store
from actorkit.modules import eval as lua
from actorkit.testing import open_test_node

MODULES = [lua.module()]
PROCESS = lowlevel.Send, lowlevel.Link, lowlevel.Monitor
PONG = lua.Program(
    """
    local count = 0
    while true do
      local msg = process.receive("ping")
      if msg.payload == "stop" then return count end
      count = count + 1
      process.send(msg.sender, "pong", {n = msg.payload, from = process.self()})
    end
    """,
    name="pong",
    options=lua.Options(allow=PROCESS),
)


async def test_lua_process_ping_pong_with_python(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(PONG, monitor=True, name="ponger"))
        assert node.whereis("ponger") == pid
        for n in range(3):
            await proc.send("ponger", "ping", n)
            reply = await proc.receive("pong", timeout=1)
            assert reply.payload == {"n": n, "from": str(pid)}
            assert reply.sender == pid
        await proc.send(pid, "ping", "stop")
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert (exit_.pid, exit_.result, exit_.error) == (pid, 3, None)


async def test_python_spawns_lua_process_function(autojump_clock: trio.testing.MockClock) -> None:
    program = lua.Program("function main(a, b) return {sum = a + b} end")
    async with open_test_node(modules=MODULES) as node:
        assert await node.exec(lua.lua_process, program, "main", (2, 3)) == {"sum": 5}
        assert await node.exec(lua.lua_process, "return ...", None, ["x"]) == "x"


async def failing(proc: actorkit.Process) -> None:
    await proc.receive("fail")
    raise RuntimeError("python side failed")


async def test_python_crash_takes_down_linked_lua_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    source = """
    local python, owner = ...
    process.link(python)
    process.send(owner, "linked")
    while true do process.receive("never") end
    """
    program = lua.Program(source, options=lua.Options(allow=PROCESS))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        python = await proc.spawn(failing)
        args = (python, proc.pid)
        luap = await proc.call(lua.CreateProcess(program, args=args, monitor=True))
        await proc.receive("linked", timeout=1)
        await proc.send(python, "fail")
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert exit_.pid == luap
        assert isinstance(exit_.error, LinkedExitError)


async def test_lua_crash_reaches_links_and_monitors(autojump_clock: trio.testing.MockClock) -> None:
    program = lua.Program("process.receive('go') error('lua side failed')", name="crash")
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(program, link=True, monitor=True))
        await proc.send(pid, "go")
        down = await proc.receive(kind=actorkit.LinkDown, timeout=1)  # the test process traps
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert down.pid == exit_.pid == pid
        assert isinstance(exit_.error, lua.EvalRuntimeError)
        assert str(exit_.error) == "crash:1: lua side failed"


async def test_lua_process_sees_python_exits(autojump_clock: trio.testing.MockClock) -> None:
    source = """
    local watched = ...
    process.monitor(watched)
    process.send(watched, "fail")
    local ev = process.receive()
    return {ev.kind, ev.pid == watched, ev.error}
    """
    program = lua.Program(source, options=lua.Options(allow=PROCESS))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        python = await proc.spawn(failing)
        got = await node.exec(lua.lua_process, program, None, (python,))
        assert got == ["exit", True, "RuntimeError: python side failed"]


async def test_supervisor_restarts_a_lua_child(autojump_clock: trio.testing.MockClock) -> None:
    source = """
    local owner = ...
    process.send(owner, "ready", process.self())
    local msg = process.receive()
    error("asked to fail: " .. msg.topic)
    """
    program = lua.Program(source, options=lua.Options(allow=PROCESS))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        spec = actorkit.ChildSpec("lua", lua.lua_process, (program, None, (proc.pid,)), name="w")
        tree = actorkit.Supervisor([spec], backoff=actorkit.Backoff(initial=0.01))
        await proc.spawn(tree, link=True)
        first = await proc.receive("ready", timeout=1)
        await proc.send("w", "boom")
        again = await proc.receive("ready", timeout=1)
        assert first.payload != again.payload
        assert again.payload == str(node.whereis("w"))


async def test_command_outside_the_allow_list_ends_the_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    sends_only = lua.Options(allow={lowlevel.Send})
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        for source, options in [
            ("process.send('x', 't')", lua.Options()),  # empty: nothing allowed
            ("clock.sleep(1)", sends_only),
        ]:
            pid = await proc.call(lua.CreateProcess(lua.Program(source, options=options)))
            exit_ = await node.wait(pid)
            assert isinstance(exit_.error, lua.EvalPermissionError)
            assert "which the program's allow list does not hold" in str(exit_.error)
        assert "Sleep (id=10)" in str(exit_.error)


async def test_fakes_act_on_lua_commands(autojump_clock: trio.testing.MockClock) -> None:
    program = lua.Program(
        "return store.get('cache', 'k'), clock.sleep(5)",
        options=lua.Options(allow={store.Get, clock.Sleep}),
    )
    async with open_test_node(modules=MODULES) as node:
        fake = node.fake(store.Get, lambda cmd: {"faked": cmd.key})
        start = trio.current_time()
        assert await node.exec(lua.lua_process, program) == [{"faked": "k"}, True]
        assert fake.calls == [store.Get("cache", "k")]
        assert trio.current_time() - start == pytest.approx(5)  # the real Sleep, autojumped


async def test_failed_commands_return_nil_and_message(
    autojump_clock: trio.testing.MockClock,
) -> None:
    source = """
    local ok1, e1 = process.send("nobody", "t")
    local ok2, e2 = process.send(42)
    local m, e3 = process.receive("x", 0.5)
    return {e1, e2, e3, ok1 == nil and ok2 == nil and m == nil}
    """
    program = lua.Program(source, options=lua.Options(allow=PROCESS))
    async with open_test_node(modules=MODULES) as node:
        e1, e2, e3, all_nil = await node.exec(lua.lua_process, program)
        assert "no process nobody" in e1
        assert e2.startswith("process.send:")
        assert (e3, all_nil) == ("timeout", True)


async def test_lua_process_uses_store_and_sql(autojump_clock: trio.testing.MockClock) -> None:
    source = """
    store.set("kv", "greeting", {text = "hi"})
    local got = store.get("kv", "greeting")
    sql.execute("db", "create table t (n integer, s text)")
    local r = sql.execute("db", "insert into t values (?, ?)", {7, got.text})
    return sql.query("db", "select n, s from t"), r.rows_affected
    """
    allow = {store.Set, store.Get, sql.Execute, sql.Query}
    program = lua.Program(source, options=lua.Options(allow=allow))
    modules = [*MODULES, store.memory("kv"), sql.sqlite("db")]
    async with open_test_node(modules=modules) as node:
        assert await node.exec(lua.lua_process, program) == [[{"n": 7, "s": "hi"}], 1]


async def test_terminate_cancels_a_waiting_lua_process(
    autojump_clock: trio.testing.MockClock,
) -> None:
    program = lua.Program("clock.sleep(3600)", options=lua.Options(allow={clock.Sleep}))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(program, monitor=True))
        await trio.testing.wait_all_tasks_blocked()
        assert await proc.terminate(pid)
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert isinstance(exit_.error, TerminatedError)
        assert node.resolve(pid) is None


async def test_limits_apply_between_yields(autojump_clock: trio.testing.MockClock) -> None:
    options = lua.Options(allow={clock.Sleep}, max_instructions=50_000, timeout=3600)
    steady = "for i = 1, 20 do for j = 1, 1000 do end clock.sleep(1) end return 'done'"
    spin = "clock.sleep(1) while true do end"
    async with open_test_node(modules=MODULES) as node:
        assert await node.exec(lua.lua_process, lua.Program(steady, options=options)) == "done"
        with pytest.raises(actorkit.ProcessFailedError) as caught:
            await node.exec(lua.lua_process, lua.Program(spin, options=options))
        assert isinstance(caught.value.__cause__, lua.EvalInstructionError)


async def test_yielding_anything_but_a_command_fails(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=MODULES) as node:
        with pytest.raises(actorkit.ProcessFailedError) as caught:
            await node.exec(lua.lua_process, "coroutine.yield('sneaky')")
        assert "yields only by its API" in str(caught.value.__cause__)


async def test_create_process_compile_error_fails_the_call(
    autojump_clock: trio.testing.MockClock,
) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        with pytest.raises(lua.EvalCompileError):
            await proc.call(lua.CreateProcess("return return"))


def lua_states() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if type(o).__name__ == "LuaRuntime")


async def test_lua_state_is_dropped_when_the_process_exits(
    autojump_clock: trio.testing.MockClock,
) -> None:
    waits = lua.Program("process.receive('never')")
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        before = lua_states()
        spin = lua.Program("while true do end", options=lua.Options(max_instructions=10_000))
        for program in ("return 1", "error('crash')", spin):
            pid = await proc.call(lua.CreateProcess(program))
            await node.wait(pid)
        pid = await proc.call(lua.CreateProcess(waits))
        await trio.testing.wait_all_tasks_blocked()
        assert lua_states() == before + 1  # the waiting one holds its state
        await proc.terminate(pid)
        assert lua_states() == before


async def test_process_seams_see_lua_commands(autojump_clock: trio.testing.MockClock) -> None:
    seen: list[object] = []

    def refuse_sleep(
        ctx: lowlevel.HandlerContext,
        cmd: object,
        tag: int,
        receiver: lowlevel.Receiver,
        next_: lowlevel.Handler,
    ) -> None:
        seen.append(cmd)
        if isinstance(cmd, clock.Sleep):
            raise PermissionError("no sleeping in this scope")
        next_(ctx, cmd, tag, receiver)

    source = "process.receive('go') local ok, err = clock.sleep(1) process.send(..., 'slept', err)"
    program = lua.Program(source, options=lua.Options(allow={clock.Sleep, lowlevel.Send}))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(program, args=(proc.pid,)))
        ref = lowlevel.lookup(node, pid)
        assert ref is not None
        lowlevel.add_seam(ref, refuse_sleep)
        await proc.send(pid, "go")
        reply = await proc.receive("slept", timeout=1)
        assert reply.payload == "clock.sleep: no sleeping in this scope"
        assert [type(cmd) for cmd in seen] == [clock.Sleep, lowlevel.Send]


async def test_cancel_ends_a_lua_process(autojump_clock: trio.testing.MockClock) -> None:
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess("process.receive('never')", monitor=True))
        await proc.cancel(pid, "shutting down")
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert isinstance(exit_.error, actorkit.CancelRequested)


async def test_bytes_mode_keeps_names_as_text(autojump_clock: trio.testing.MockClock) -> None:
    source = "process.send(..., 'raw', 'payload\\255') return 'done'"
    options = lua.Options(allow={lowlevel.Send}, strings="bytes")
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        program = lua.Program(source, options=options)
        assert await node.exec(lua.lua_process, program, None, (proc.pid,)) == b"done"
        msg = await proc.receive("raw", timeout=1)
        assert msg.payload == b"payload\xff"


async def test_huge_message_to_a_small_lua_process_hits_its_memory_limit(
    autojump_clock: trio.testing.MockClock,
) -> None:
    program = lua.Program("process.receive()", options=lua.Options(max_memory=256 * 1024))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(program, monitor=True))
        await proc.send(pid, "big", ["x" * 1000] * 1000)
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert isinstance(exit_.error, lua.EvalMemoryError)


async def test_busy_lua_loops_of_api_calls_let_others_run(
    autojump_clock: trio.testing.MockClock,
) -> None:
    # Each call resets the instruction budget, so the host itself must yield to Trio.
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        for source in (
            "while true do process.self() end",
            "while true do process.send(42) end",  # fails at once: nil, message
            "while true do process.receive(42) end",
        ):
            pid = await proc.call(lua.CreateProcess(lua.Program(source)))
            for _ in range(10):  # this task gets turns while the Lua process loops
                await trio.lowlevel.checkpoint()
            assert await proc.terminate(pid)


async def test_lua_processes_share_no_globals(autojump_clock: trio.testing.MockClock) -> None:
    writer = lua.Program("shared = 'secret'; string.extra = 1; process.receive('never')")
    reader = lua.Program("return {type(shared), type(string.extra)}")
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(writer))
        await trio.testing.wait_all_tasks_blocked()
        assert await node.exec(lua.lua_process, reader) == ["nil", "nil"]
        await proc.terminate(pid)


async def test_forged_and_unmappable_calls_fail_the_call_only(
    autojump_clock: trio.testing.MockClock,
) -> None:
    source = """
    local co = coroutine.create(process.self)
    local _, marker = coroutine.resume(co)        -- the host's private marker, stolen
    local a, e1 = coroutine.yield(marker, "os.execute", "rm -rf /")
    local b, e2 = coroutine.yield(marker, 42)
    local c, e3 = process.send(process.self(), "t", tostring)
    return {e1, e2, e3, a == nil and b == nil and c == nil}
    """
    program = lua.Program(source, options=lua.Options(allow=PROCESS))
    async with open_test_node(modules=MODULES) as node:
        e1, e2, e3, all_nil = await node.exec(lua.lua_process, program)
        assert e1 == "os.execute: not a function of the Lua API"
        assert e2 == "42: not a function of the Lua API"
        assert e3 == "process.send: a Lua function cannot cross into Python"
        assert all_nil is True


async def test_garbage_does_not_count_against_a_message(
    autojump_clock: trio.testing.MockClock,
) -> None:
    source = """
    local s = string.rep("x", 700000)
    s = nil                                  -- 700 KB of garbage, not yet collected
    local msg = process.receive()
    return #msg.payload
    """
    program = lua.Program(source, options=lua.Options(max_memory=1024 * 1024))
    async with open_test_node(modules=MODULES) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(program, monitor=True))
        await trio.testing.wait_all_tasks_blocked()
        await proc.send(pid, "big", "y" * 600_000)
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert (exit_.result, exit_.error) == (600_000, None)
