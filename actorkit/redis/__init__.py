"""A Redis client native to Trio, on hiredis's C reply parser.

:class:`Redis` multiplexes concurrent callers on one connection (requests written in call
order, replies matched in order), opens dedicated connections for blocking commands and
pub/sub connections (:class:`Subscription`), and runs Lua :class:`Script` s by SHA. Replies
are :data:`Reply`: ``bytes`` (never decoded), ``int``, ``None`` or lists of them. Errors
come from the tree in :mod:`actorkit.redis.errors`.
"""

from ._client import Redis
from ._dedicated import Dedicated
from ._protocol import Arg, Reply
from ._pubsub import Subscription
from ._script import Script
from .errors import (
    RedisArgumentError,
    RedisConnectionError,
    RedisError,
    RedisReplyError,
    RedisUrlError,
)

__all__ = [
    "Arg",
    "Dedicated",
    "Redis",
    "RedisArgumentError",
    "RedisConnectionError",
    "RedisError",
    "RedisReplyError",
    "RedisUrlError",
    "Reply",
    "Script",
    "Subscription",
]
