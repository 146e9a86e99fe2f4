"""The http handlers: each request is work under the caller's cancel scope, so the call's
deadline, the caller's cancellation and its exit all reach the exchange."""

from __future__ import annotations

import trio

from actorkit.checks import label
from actorkit.lowlevel import HandlerContext, HandlerTable

from .client import exchange
from .commands import Request, RequestBatch
from .errors import HttpError
from .response import Response
from .state import HttpState, state_of


async def handle_request(ctx: HandlerContext, cmd: Request) -> Response:
    """Send one request on the node's pool."""
    return await exchange(state_of(ctx.node), cmd, ctx)


async def handle_batch(ctx: HandlerContext, cmd: RequestBatch) -> list[Response | HttpError]:
    """Send every request at once; each result in its request's place."""
    state = state_of(ctx.node)
    results: list[Response | HttpError] = [HttpError("not sent")] * len(cmd.requests)
    async with trio.open_nursery() as nursery:
        for index, request in enumerate(cmd.requests):
            nursery.start_soon(_one, state, request, results, index)
    return results


async def _one(
    state: HttpState, cmd: Request, results: list[Response | HttpError], index: int
) -> None:
    try:
        results[index] = await exchange(state, cmd, None)
    except HttpError as exc:
        results[index] = exc
    except Exception as exc:  # kept as this item's result, with its cause: not swallowed
        error = HttpError(f"failed: {type(exc).__name__}: {exc}", command=label(Request))
        error.__cause__ = exc
        results[index] = error


TABLE: HandlerTable = {Request: handle_request, RequestBatch: handle_batch}
"""The handler table of the http module."""
