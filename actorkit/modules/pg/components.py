"""The boot component of one pg scope: the first scope on a node registers the handlers."""

from __future__ import annotations

from actorkit.lowlevel import Boot, Component, add_exit_hook, remove_exit_hook

from .commands import DEFAULT_SCOPE
from .dispatcher import TABLE
from .scope import Scope
from .state import SCOPES, Scopes, scopes_of


def module(scope: str = DEFAULT_SCOPE) -> Component:
    """The boot component of one pg scope (named ``pg``, or ``pg.<scope>`` for others).

    Boot several with different ``scope`` names for independent namespaces of groups.

    Raises:
        ValueError: ``scope`` is not a non-empty string.
    """
    if type(scope) is not str or not scope:
        raise ValueError(f"pg scope must be a non-empty string, got {scope!r}")

    def load(boot: Boot) -> None:
        node = boot.node
        boot.register_table(TABLE)
        state = Scope(node, scope)
        SCOPES.setdefault(node, Scopes)[scope] = state
        add_exit_hook(node, state.on_exit)

    async def stop(boot: Boot) -> None:
        scopes = scopes_of(boot.node)
        state = scopes.pop(scope, None) if scopes is not None else None
        if state is not None:
            remove_exit_hook(boot.node, state.on_exit)

    name = "pg" if scope == DEFAULT_SCOPE else f"pg.{scope}"
    return Component(name, load=load, stop=stop)
