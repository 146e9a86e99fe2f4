"""The Lua side of the sandbox (see :mod:`.sandbox`), run first in every fresh Lua state."""

PRELUDE = r"""
-- The sandbox's host side, run once per program in a fresh Lua state before any of its
-- code. It keeps what it needs as locals (upvalues no program can reach: there is no
-- debug library left), builds the program's environment from the allowed libraries,
-- and returns the functions the Python side drives the program with.
local now, every, libs, api_names = ...
local STOP, CMD = {}, {}
local used, budget, deadline, reason = 0, math.huge, math.huge, nil
local sethook, raw_load, raw_pcall, raw_xpcall = debug.sethook, load, pcall, xpcall
local raw_create, raw_resume, raw_status = coroutine.create, coroutine.resume, coroutine.status
local raw_close, raw_yield, raw_setmt = coroutine.close, coroutine.yield, setmetatable
local raw_collect, pack, unpack, type, error = collectgarbage, table.pack, table.unpack, type, error
local NOMEM = "not enough memory"

local function hook()
  used = used + every
  if reason == nil then
    if used > budget then reason = "instructions"
    elseif now() > deadline then reason = "timeout" end
  end
  if reason ~= nil then error(STOP, 0) end
end
sethook(hook, "", every)

-- A protected call never hides a limit: the stop (or running out of memory) goes on up.
local function check(ok, ...)
  if not ok then
    local e = ...
    if e == NOMEM and reason == nil then reason = "memory" end
    if reason ~= nil or e == STOP then error(STOP, 0) end
  end
  return ok, ...
end

local function create(f)
  local co = raw_create(f)
  sethook(co, hook, "", every)
  return co
end

local function passing(h)
  return function(e)
    if e == STOP or e == NOMEM or reason ~= nil then return e end
    return h(e)
  end
end

local safe = {
  pcall = function(f, ...) return check(raw_pcall(f, ...)) end,
  xpcall = function(f, h, ...) return check(raw_xpcall(f, passing(h), ...)) end,
  setmetatable = function(t, mt)
    if type(t) ~= "table" then
      error("setmetatable: only a table's metatable can be set in the sandbox", 2)
    end
    if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
      error("setmetatable: __gc metamethods are not allowed in the sandbox", 2)
    end
    return raw_setmt(t, mt)
  end,
  collectgarbage = function(opt, ...)
    opt = opt or "collect"
    if opt ~= "count" and opt ~= "collect" and opt ~= "step" then
      error("collectgarbage: option '" .. tostring(opt) .. "' is not allowed in the sandbox", 2)
    end
    return raw_collect(opt, ...)
  end,
}
local base = { "assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget", "rawlen",
  "rawset", "select", "getmetatable", "tonumber", "tostring", "type", "_VERSION" }

local env = {}
for _, name in ipairs(base) do env[name] = _G[name] end
for name, f in pairs(safe) do env[name] = f end
env._G = env

string.dump = nil
local string_mt = getmetatable("")
string_mt.__metatable = false
if libs.coroutine then
  coroutine.create = create
  coroutine.resume = function(co, ...) return check(raw_resume(co, ...)) end
  coroutine.wrap = function(f)
    local co = create(f)
    return function(...)
      local r = pack(check(raw_resume(co, ...)))
      if not r[1] then error(r[2], 0) end
      return unpack(r, 2, r.n)
    end
  end
  coroutine.close = function(co) return check(raw_close(co)) end
end
for _, name in ipairs({ "string", "table", "math", "utf8", "coroutine" }) do
  if libs[name] then env[name] = _G[name] end
end
if not libs.string then string_mt.__index = {} end

-- The command API: each function yields the private CMD marker, its name and arguments to
-- the host, which runs the command and resumes the coroutine with its results.
for _, full in ipairs(api_names) do
  local mod, fn = full:match("^([%w_]+)%.([%w_]+)$")
  env[mod] = env[mod] or {}
  env[mod][fn] = function(...) return raw_yield(CMD, full, ...) end
end

local host = {}

-- Every host function takes its arguments in one table ``b`` (``b.n`` of them), built by
-- the Python side with the memory limit lifted: lupa creates Lua values from Python
-- outside any protected call, where running out of memory would abort the process.
function host.load(b)
  return raw_load(b[1], "=" .. b[2], "t", env)
end

function host.env()
  return env
end

function host.collect()
  raw_collect("collect")
end

function host.limits(instructions, until_time)
  used, budget, deadline, reason = 0, instructions, until_time, nil
end

local function finish(r)
  if r[1] then return "ok", unpack(r, 2, r.n) end
  if r[2] == NOMEM and reason == nil then reason = "memory" end
  return "error", reason, r[2]
end

-- A program's entry: the chunk itself, or (with a name) the chunk then its global function.
local function entry(f, fname)
  if fname == nil then return f end
  return function(...)
    f()
    local g = rawget(env, fname)
    if type(g) ~= "function" then
      error("the program defines no function '" .. fname .. "'", 0)
    end
    return g(...)
  end
end

function host.run(f, b)
  return finish(pack(raw_pcall(entry(f, b[1] or nil), unpack(b, 2, b.n))))
end

-- The process coroutine stays on this side (lupa hands a Lua thread to Python as a
-- wrapper that does not come back as the same thread).
local main_co = nil

function host.thread(f, b)
  main_co = create(entry(f, b[1] or nil))
end

function host.step(b)
  local co = main_co
  local r = pack(raw_resume(co, unpack(b, 1, b.n)))
  if not r[1] then return finish(r) end
  if raw_status(co) == "dead" then return "ok", unpack(r, 2, r.n) end
  if r[2] == CMD then return "yield", unpack(r, 3, r.n) end
  return "error", nil, "coroutine.yield outside a command: a Lua process yields only by its API"
end

-- Nothing privileged stays reachable from the global table either.
for _, name in ipairs({ "os", "io", "debug", "package", "require", "load", "loadfile",
  "dofile", "loadstring", "python", "print", "warn", "collectgarbage" }) do
  _G[name] = nil
end
return host
"""
