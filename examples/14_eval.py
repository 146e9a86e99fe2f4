"""Eval: a sandboxed Lua function, and a Lua process that talks to Python processes."""

import actorkit
from actorkit import lowlevel
from actorkit.modules import clock, store
from actorkit.modules import eval as lua

MODULES = [clock.module(), store.memory("cache"), lua.module()]

# -- a Lua program: a function to Run, and a process body (``serve``)
SOURCE = """
function score(word)
  local total = 0
  for ch in word:gmatch(".") do total = total + ch:byte() - 96 end
  return total
end

function serve(owner)
  process.send(owner, "ready", process.self())
  local served = 0
  while true do
    local msg = process.receive()
    if msg.topic == "stop" then return served end
    clock.sleep(0.1)                        -- a command, run by the node
    local n = (store.get("cache", msg.payload) or 0) + score(msg.payload)
    store.set("cache", msg.payload, n)
    process.send(msg.sender, "scored", {word = msg.payload, total = n})
    served = served + 1
  end
end
"""

OPTIONS = lua.Options(
    libraries={"string"},  # and the safe base functions; never os, io, load, debug …
    allow={lowlevel.Send, clock.Sleep, store.Get, store.Set},  # the commands it may yield
    max_instructions=1_000_000,
    timeout=0.5,
)


async def main(proc: actorkit.Process) -> str:
    program = await proc.call(lua.Compile(SOURCE, name="scorer", options=OPTIONS))
    direct = await proc.call(lua.Run(program, function="score", args=("actor",)))

    pid = await proc.call(
        lua.CreateProcess(program, function="serve", args=(proc.pid,), monitor=True)
    )
    await proc.receive("ready", timeout=1.0)
    totals: list[str] = []
    for word in ["trio", "lua", "trio"]:
        await proc.send(pid, "score", word)
        reply = await proc.receive("scored", timeout=1.0)
        scored: dict[str, object] = reply.payload  # type: ignore[assignment]  # a Lua table
        totals.append(f"{scored['word']}={scored['total']}")
    await proc.send(pid, "stop")
    done = await proc.receive(kind=actorkit.Exit, timeout=1.0)

    escape = await refused(proc, "return io.open('/etc/passwd')")
    return f"score(actor)={direct}; lua process {' '.join(totals)}, served {done.result}; {escape}"


async def refused(proc: actorkit.Process, source: str) -> str:
    """An escape attempt fails with a clear error; the node carries on."""
    try:
        await proc.call(lua.Run(lua.Program(source, name="escape")))
    except lua.EvalRuntimeError as exc:
        return f"refused: {exc}"
    return "ran"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
