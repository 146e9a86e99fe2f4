"""What a gateway calls to turn a request's token into an identity.

:func:`identity_for_token` is the mapping itself; :func:`token_auth` wraps it as the
``auth=`` callable of :mod:`actorkit.gateway` routes (a refused or missing token becomes a
401 naming the reason, never the token).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import actorkit

from . import tokens
from .dispatcher import borrowed
from .errors import TokenError
from .identity import Identity
from .policy import Policy, Scope
from .state import settings


async def identity_for_token(node: actorkit.Node, token: str) -> Identity:
    """The identity a token stands for: its actor, and one layer joining its scopes.

    For a gateway route that requires a token: validate it here, then run the request's
    handler as that identity (:func:`~.identity.run_as` with ``*ident.layers``, or
    :func:`~.identity.adopt` on a process). A scope name the node does not know grants
    nothing. A checkpoint; cancelling it abandons the check.

    Raises:
        TokenError: the token is refused (the reason names nothing secret).
        SecurityError: the security module is not booted on ``node``.
    """
    cfg = settings(node)
    info = await borrowed(node, tokens.validate, token)
    known = [cfg.scopes[name] for name in info.scopes if name in cfg.scopes]
    policies: list[Policy] = [p for scope in known for p in scope.policies]
    return Identity(info.actor, (Scope("+".join(info.scopes), policies),))


Auth = Callable[[str | None], Awaitable[Identity]]


def token_auth(node: actorkit.Node) -> Auth:
    """An ``auth=`` callable for gateway routes: the token's :class:`Identity`, or 401.

    ``gateway.route("GET", "/report", handler, auth=security.token_auth(node))``: the
    handler sees the identity as ``request.identity`` and can run as it with
    :func:`~.identity.run_as` or :func:`~.identity.adopt`.
    """
    from actorkit.gateway import Refused  # noqa: PLC0415 (the gateway only when used)

    async def check(token: str | None) -> Identity:
        if not token:
            raise Refused("no token")
        try:
            return await identity_for_token(node, token)
        except TokenError as exc:
            raise Refused(f"token refused: {exc.reason}") from None

    return check
