"""What a gateway calls to turn a request's token into an identity."""

from __future__ import annotations

import actorkit

from . import tokens
from .dispatcher import borrowed
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
