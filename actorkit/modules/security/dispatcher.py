"""Token handlers: each borrows a process of its own to talk to the token store.

The borrowed process runs under no identity: the caller's scope was checked on the token
command itself (``security.create_token`` …), not on the store commands it leads to.
"""

from __future__ import annotations

from actorkit.lowlevel import HandlerContext, HandlerTable

from . import tokens
from .commands import CreateToken, RevokeToken, TokenInfo, ValidateToken
from .state import settings


async def handle_create(ctx: HandlerContext, cmd: CreateToken) -> str:
    """A new opaque token or JWT."""
    cfg = settings(ctx.node)
    async with ctx.node.process() as helper:
        return await tokens.create(helper, cfg, cmd)


async def handle_validate(ctx: HandlerContext, cmd: ValidateToken) -> TokenInfo:
    """The token's info, or TokenError."""
    cfg = settings(ctx.node)
    async with ctx.node.process() as helper:
        return await tokens.validate(helper, cfg, cmd.token)


async def handle_revoke(ctx: HandlerContext, cmd: RevokeToken) -> bool:
    """Revoke; True if the token was valid until now."""
    cfg = settings(ctx.node)
    async with ctx.node.process() as helper:
        return await tokens.revoke(helper, cfg, cmd.token)


TABLE: HandlerTable = {
    CreateToken: handle_create,
    ValidateToken: handle_validate,
    RevokeToken: handle_revoke,
}
