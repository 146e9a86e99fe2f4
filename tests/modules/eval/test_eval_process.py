"""CreateProcess (id=172): Lua processes next to Python processes."""

from __future__ import annotations

import trio
import trio.testing

import actorkit
from actorkit import lowlevel
from actorkit.modules import eval as lua
from actorkit.testing import open_test_node

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
    async with open_test_node(modules=[lua.module()]) as node, node.process() as proc:
        pid = await proc.call(lua.CreateProcess(PONG, monitor=True, name="ponger"))
        for n in range(3):
            await proc.send("ponger", "ping", n)
            reply = await proc.receive("pong", timeout=1)
            assert reply.payload == {"n": n, "from": str(pid)}
            assert reply.sender == pid
        await proc.send(pid, "ping", "stop")
        exit_ = await proc.receive(kind=actorkit.Exit, timeout=1)
        assert (exit_.pid, exit_.result, exit_.error) == (pid, 3, None)
