"""Frame kinds: the first element of every frame a node sends another (msgpack arrays).

A batch (one element of a node's inbox list in Redis) is an array of frames, in the order
the sender queued them, so per-sender order holds between two nodes.
"""

from __future__ import annotations

MSG = 0  # [MSG, sender, dest, topic, payload]
REQ = 1  # [REQ, sender, dest, topic, payload, ref, seconds left]
REPLY = 2  # [REPLY, caller, ref, value, error]
MON = 3  # [MON, watcher, target]
DEMON = 4  # [DEMON, watcher, target]
LINK = 5  # [LINK, remote end, local end]
UNLINK = 6  # [UNLINK, remote end, local end]
EXIT = 7  # [EXIT, pid, watcher, result, error, reason]
LDOWN = 8  # [LDOWN, pid, linked, error]
CANCEL = 9  # [CANCEL, sender, target, reason]
SPAWN = 10  # [SPAWN, requester, ref, function, args, name, link, monitor]
SPAWNED = 11  # [SPAWNED, requester, ref, value, error]: the answer to SPAWN or ACTIVATE
DOWN = 12  # [DOWN, node, creation]  (pushed by the Redis script that declares it down)
VMSG = 13  # [VMSG, kind, key, sender, topic, payload]
ACTIVATE = 14  # [ACTIVATE, asking node, ref, kind, key]
UP = 15  # [UP, node, creation]  (pushed by the Redis script that let it join)
EVENT = 16  # [EVENT, system, kind, path, data]: a bus event forwarded to every node
TERMINATE = 17  # [TERMINATE, asking node, ref, target, reason, grace]; answered by SPAWNED
