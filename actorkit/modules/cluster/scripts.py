"""The cluster's Lua scripts: every change to shared state is one atomic step on Redis.

Keys live under the cluster's prefix ``ak:{cluster}:`` (passed as ``ARGV[1]``; one Redis,
not Redis Cluster): ``members`` (hash: node name -> creation), ``alive:{node}`` (the
heartbeat, with a TTL), ``q:{node}`` (the node's inbox: a list of batches), ``names`` (hash:
name -> PID text), ``group:{g}`` (set of PID texts), ``grains`` (hash: virtual actor ->
owner ``node|creation``), ``kinds:{kind}`` (set of the nodes that host a virtual actor
kind), and per node the index of what to release when it goes down
(``nodenames:``, ``nodegroups:``, ``nodegrains:``, ``nodekinds:``).

A node that goes down is removed in one step (``down``): its inbox, names, group entries
and virtual actors go, and every remaining member gets a *down* frame in its inbox, after
everything the dead node pushed before: a receiver sees the notice in order, and a frame
pushed later by the dead node is refused (``push`` checks the sender's membership), so no
message from it arrives after the watchers were told.
"""

from __future__ import annotations

DOWN_FRAME = 12  # the frame kind of a node-down notice (see frames.py)
UP_FRAME = 15  # the frame kind of a node-up notice

_DOWN = f"""
local function split_pid(v)
  return string.match(v, '^(.*)|(%d+)|(%d+)$')
end
local function down(p, name, creation, why)
  redis.call('HDEL', p .. 'members', name)
  redis.call('DEL', p .. 'q:' .. name, p .. 'alive:' .. name)
  local nk = p .. 'nodenames:' .. name
  for _, n in ipairs(redis.call('SMEMBERS', nk)) do
    local v = redis.call('HGET', p .. 'names', n)
    if v then
      local node = split_pid(v)
      if node == name then redis.call('HDEL', p .. 'names', n) end
    end
  end
  redis.call('DEL', nk)
  local gk = p .. 'nodegroups:' .. name
  for _, e in ipairs(redis.call('SMEMBERS', gk)) do
    local i = string.find(e, '\\0', 1, true)
    redis.call('SREM', p .. 'group:' .. string.sub(e, i + 1), string.sub(e, 1, i - 1))
  end
  redis.call('DEL', gk)
  local vk = p .. 'nodegrains:' .. name
  local owner = name .. '|' .. creation
  for _, g in ipairs(redis.call('SMEMBERS', vk)) do
    if redis.call('HGET', p .. 'grains', g) == owner then redis.call('HDEL', p .. 'grains', g) end
  end
  redis.call('DEL', vk)
  local kk = p .. 'nodekinds:' .. name
  for _, kind in ipairs(redis.call('SMEMBERS', kk)) do
    redis.call('SREM', p .. 'kinds:' .. kind, name)
  end
  redis.call('DEL', kk)
  local notice = cmsgpack.pack({{{{ {DOWN_FRAME}, name, tonumber(creation), why }}}})
  for _, m in ipairs(redis.call('HKEYS', p .. 'members')) do
    redis.call('RPUSH', p .. 'q:' .. m, notice)
  end
end
"""

JOIN = (
    _DOWN
    + """
local p, name, ttl = ARGV[1], ARGV[2], ARGV[3]
local old = redis.call('HGET', p .. 'members', name)
if old then
  if redis.call('EXISTS', p .. 'alive:' .. name) == 1 then return {-1, {}} end
  down(p, name, old, 'expired')
end
local creation = redis.call('INCR', p .. 'creation')
redis.call('DEL', p .. 'q:' .. name)
local notice = cmsgpack.pack({{ UP_FRAME, name, creation }})
for _, m in ipairs(redis.call('HKEYS', p .. 'members')) do
  redis.call('RPUSH', p .. 'q:' .. m, notice)
end
redis.call('HSET', p .. 'members', name, creation)
redis.call('SET', p .. 'alive:' .. name, creation, 'PX', ttl)
for i = 4, #ARGV do
  redis.call('SADD', p .. 'kinds:' .. ARGV[i], name)
  redis.call('SADD', p .. 'nodekinds:' .. name, ARGV[i])
end
return {creation, redis.call('HGETALL', p .. 'members')}
""".replace("UP_FRAME", str(UP_FRAME))
)

LEAVE = (
    _DOWN
    + """
local p, name, creation = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', p .. 'members', name) ~= creation then return 0 end
down(p, name, creation, 'left')
return 1
"""
)

HEARTBEAT = """
local p, name, creation, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', p .. 'members', name) ~= creation then return 0 end
redis.call('SET', p .. 'alive:' .. name, creation, 'PX', ttl)
return 1
"""

SWEEP = (
    _DOWN
    + """
local p = ARGV[1]
local gone = {}
local m = redis.call('HGETALL', p .. 'members')
for i = 1, #m, 2 do
  if redis.call('EXISTS', p .. 'alive:' .. m[i]) == 0 then
    down(p, m[i], m[i + 1], 'expired')
    table.insert(gone, m[i])
    table.insert(gone, m[i + 1])
  end
end
return {gone, redis.call('HGETALL', p .. 'members')}
"""
)

PUSH = """
local p, sender, creation = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', p .. 'members', sender) ~= creation then return -1 end
local out = {}
for i = 4, #ARGV, 3 do
  if redis.call('HGET', p .. 'members', ARGV[i]) == ARGV[i + 1] then
    redis.call('RPUSH', p .. 'q:' .. ARGV[i], ARGV[i + 2])
    table.insert(out, 1)
  else
    table.insert(out, 0)
  end
end
return out
"""

REGISTER = """
local p, name, pid = ARGV[1], ARGV[2], ARGV[3]
local v = redis.call('HGET', p .. 'names', name)
if v and v ~= pid then
  local node, _, creation = string.match(v, '^(.*)|(%d+)|(%d+)$')
  if redis.call('HGET', p .. 'members', node) == creation then return v end
end
local mine = string.match(pid, '^(.*)|%d+|%d+$')
redis.call('HSET', p .. 'names', name, pid)
redis.call('SADD', p .. 'nodenames:' .. mine, name)
return false
"""

UNREGISTER = """
local p, name, pid = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', p .. 'names', name) ~= pid then return 0 end
redis.call('HDEL', p .. 'names', name)
redis.call('SREM', p .. 'nodenames:' .. string.match(pid, '^(.*)|%d+|%d+$'), name)
return 1
"""

PLACE = """
local p, grain, candidate = ARGV[1], ARGV[2], ARGV[3]
local v = redis.call('HGET', p .. 'grains', grain)
if v then
  local node, creation = string.match(v, '^(.*)|(%d+)$')
  if redis.call('HGET', p .. 'members', node) == creation then return v end
end
redis.call('HSET', p .. 'grains', grain, candidate)
redis.call('SADD', p .. 'nodegrains:' .. string.match(candidate, '^(.*)|%d+$'), grain)
return candidate
"""

RELEASE_GRAIN = """
local p, grain, owner = ARGV[1], ARGV[2], ARGV[3]
if redis.call('HGET', p .. 'grains', grain) ~= owner then return 0 end
redis.call('HDEL', p .. 'grains', grain)
redis.call('SREM', p .. 'nodegrains:' .. string.match(owner, '^(.*)|%d+$'), grain)
return 1
"""
