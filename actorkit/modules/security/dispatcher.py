"""Token handlers: each borrows a process of its own to talk to the token store.

The borrowed process runs under no identity: the caller's scope was checked on the token
command itself (``security.create_token`` …), not on the store commands it leads to.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import outcome

import actorkit
from actorkit.lowlevel import HandlerContext, HandlerTable

from . import tokens
from .commands import CreateToken, RevokeToken, TokenInfo, ValidateToken
from .state import Settings, settings

T = TypeVar("T")
A = TypeVar("A")


async def borrowed(
    node: actorkit.Node, fn: Callable[[actorkit.Process, Settings, A], Awaitable[T]], arg: A
) -> T:
    """``fn(helper, settings, arg)`` in a borrowed process that exits normally even when
    ``fn`` raises (a refused token is the caller's error, not the helper's crash)."""
    cfg = settings(node)
    async with node.process() as helper:
        result = await outcome.acapture(fn, helper, cfg, arg)
    return result.unwrap()


async def handle_create(ctx: HandlerContext, cmd: CreateToken) -> str:
    """A new opaque token or JWT."""
    return await borrowed(ctx.node, tokens.create, cmd)


async def handle_validate(ctx: HandlerContext, cmd: ValidateToken) -> TokenInfo:
    """The token's info, or TokenError."""
    return await borrowed(ctx.node, tokens.validate, cmd.token)


async def handle_revoke(ctx: HandlerContext, cmd: RevokeToken) -> bool:
    """Revoke; True if the token was valid until now."""
    return await borrowed(ctx.node, tokens.revoke, cmd.token)


TABLE: HandlerTable = {
    CreateToken: handle_create,
    ValidateToken: handle_validate,
    RevokeToken: handle_revoke,
}
