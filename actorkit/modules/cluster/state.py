"""The cluster's per-node state: who this node is in the cluster, its view of the members,
its Redis client and scripts, the outbox, and the tables of remote links and monitors."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs
import trio

from actorkit.lowlevel import NodeVar

from . import scripts
from .codec import Codec
from .outbox import Outbox

if TYPE_CHECKING:
    from actorkit import Node, Process
    from actorkit.redis import Redis, Script

    from .directory import Directory
    from .durable import Durable
    from .router import Router
    from .virtual import Activations

ProcessFunction = Callable[..., Awaitable[object]]


@attrs.define
class Options:
    """What ``cluster.module`` was booted with."""

    url: str
    cluster: str
    down_after: float
    functions: dict[str, ProcessFunction]
    virtual: dict[str, Callable[[Process, str], Awaitable[object]] | Durable]
    placement: str
    idle_after: float
    forward_events: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        """The key prefix of this cluster in Redis."""
        return f"ak:{{{self.cluster}}}:"


class Scripts:
    """The cluster's Lua scripts, bound to one client."""

    def __init__(self, redis: Redis) -> None:
        self.join: Script = redis.script(scripts.JOIN)
        self.leave: Script = redis.script(scripts.LEAVE)
        self.heartbeat: Script = redis.script(scripts.HEARTBEAT)
        self.sweep: Script = redis.script(scripts.SWEEP)
        self.push: Script = redis.script(scripts.PUSH)
        self.register: Script = redis.script(scripts.REGISTER)
        self.unregister: Script = redis.script(scripts.UNREGISTER)
        self.place: Script = redis.script(scripts.PLACE)
        self.release_grain: Script = redis.script(scripts.RELEASE_GRAIN)


class ClusterState:
    """This node as a member of one cluster."""

    def __init__(
        self, node: Node, options: Options, redis: Redis, creation: int, members: dict[str, int]
    ) -> None:
        self.node = node
        self.name = node.name
        self.options = options
        self.prefix = options.prefix
        self.redis = redis
        self.scripts = Scripts(redis)
        self.creation = creation
        self.members = members  # live members (this node too): name -> creation
        self.codec = Codec(node.name, creation)
        self.outbox = Outbox()
        self.refs = itertools.count(1)
        self.pending: dict[int, Pending] = {}
        self.router: Router
        self.activations: Activations
        self.directory: Directory
        self.nursery: trio.Nursery  # the cluster's own tasks (releases in the background)
        self.closed = trio.Event()  # set once the node has left
        self.received = 0  # frames
        self.dead_letters = 0
        self.events_not_forwarded = 0
        self.bad_frames = 0  # frames that could not be applied (logged, skipped)

    @property
    def owner(self) -> str:
        """This node's life as stored in Redis: ``name|creation``."""
        return f"{self.name}|{self.creation}"

    def creation_of(self, node: str) -> int | None:
        """The creation of a live member, or None when it is not one."""
        return self.members.get(node)

    def queue(self, node: str, frame: list[Any], what: str) -> bool:
        """Encode and queue ``frame`` for ``node``; False (nothing queued) if it is down."""
        creation = self.members.get(node)
        data = self.codec.encode(frame, what)
        if creation is None:
            return False
        self.outbox.put(node, creation, data)
        return True


@attrs.define
class Pending:
    """A call waiting for another node's answer (a remote spawn, an activation)."""

    node: str
    done: Callable[[object, BaseException | None], None]


STATE: NodeVar[ClusterState] = NodeVar("cluster")
