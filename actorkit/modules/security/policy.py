"""The model: an :class:`Actor` asks for an :class:`Access`; a :class:`Scope` of
:class:`Policy` rules decides.

A policy matches an access when its action pattern, its resource pattern (shell-style, as
:func:`fnmatch.fnmatchcase`: ``store.*``, ``reports/*``), its conditions on the actor's and
the resource's metadata and its ``when`` test all hold. A scope allows an access when at
least one ``allow`` policy matches and no ``deny`` policy does: deny by default, and any
deny wins.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Literal

import attrs

Effect = Literal["allow", "deny"]
When = Callable[["Actor", "Access"], bool]


def _empty() -> Mapping[str, object]:
    return {}


def _frozen_map(value: Mapping[str, object] | None) -> Mapping[str, object]:
    return dict(value or {})


@attrs.frozen
class Actor:
    """Who a process acts as: an ``id`` and metadata (``{"role": "reader"}``)."""

    id: str
    meta: Mapping[str, object] = attrs.field(factory=_empty, converter=_frozen_map, hash=False)


@attrs.frozen
class Access:
    """What a command asks for: an ``action`` on a ``resource``, with the resource's metadata.

    Example: ``Access("store.set", "cache")``, ``Access("process.send", "worker")``.
    """

    action: str
    resource: str = ""
    meta: Mapping[str, object] = attrs.field(factory=_empty, converter=_frozen_map, hash=False)


def _pattern(value: str) -> re.Pattern[str]:
    return re.compile(fnmatch.translate(value))


def _patterns(value: str | Collection[str]) -> tuple[re.Pattern[str], ...]:
    items = (value,) if isinstance(value, str) else tuple(value)
    return tuple(_pattern(item) for item in items)


def _matches(conditions: Mapping[str, object], meta: Mapping[str, object]) -> bool:
    for key, wanted in conditions.items():
        have = meta.get(key)
        if isinstance(wanted, (frozenset, set, tuple, list)):
            if have not in wanted:
                return False
        elif have != wanted:
            return False
    return True


@attrs.frozen
class Policy:
    """One attribute-based rule. Build it with :func:`allow` or :func:`deny`.

    Attributes:
        effect: ``"allow"`` or ``"deny"``.
        actions: action patterns (``"sql.query"``, ``"store.*"``, ``"*"``).
        resources: resource patterns (``"main"``, ``"reports/*"``, ``"*"``).
        actor: conditions on the actor's metadata: each key must equal the value, or be
            one of the values if it is a tuple, list or set.
        resource: the same conditions on the resource's metadata (:attr:`Access.meta`).
        when: a last test ``when(actor, access) -> bool`` for what data cannot say.
    """

    effect: Effect
    actions: tuple[str, ...]
    resources: tuple[str, ...] = ("*",)
    actor: Mapping[str, object] = attrs.field(factory=_empty, converter=_frozen_map, hash=False)
    resource: Mapping[str, object] = attrs.field(factory=_empty, converter=_frozen_map, hash=False)
    when: When | None = attrs.field(default=None, hash=False)
    _action_re: tuple[re.Pattern[str], ...] = attrs.field(init=False, repr=False, eq=False)
    _resource_re: tuple[re.Pattern[str], ...] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_action_re", _patterns(self.actions))
        object.__setattr__(self, "_resource_re", _patterns(self.resources))

    @property
    def static(self) -> bool:
        """True when the decision depends only on the action and resource (cacheable)."""
        return not self.resource and self.when is None

    def matches(self, actor: Actor, access: Access) -> bool:
        """True when this rule applies to ``actor`` asking for ``access``."""
        if not any(p.fullmatch(access.action) for p in self._action_re):
            return False
        if not any(p.fullmatch(access.resource) for p in self._resource_re):
            return False
        if not _matches(self.actor, actor.meta) or not _matches(self.resource, access.meta):
            return False
        return self.when is None or self.when(actor, access)


def _rule(
    effect: Effect,
    action: str | Collection[str],
    resource: str | Collection[str],
    actor: Mapping[str, object] | None,
    meta: Mapping[str, object] | None,
    when: When | None,
) -> Policy:
    actions = (action,) if isinstance(action, str) else tuple(action)
    resources = (resource,) if isinstance(resource, str) else tuple(resource)
    return Policy(effect, actions, resources, actor or {}, meta or {}, when)


def allow(
    action: str | Collection[str],
    resource: str | Collection[str] = "*",
    *,
    actor: Mapping[str, object] | None = None,
    meta: Mapping[str, object] | None = None,
    when: When | None = None,
) -> Policy:
    """A rule that allows ``action`` on ``resource`` (patterns) when its conditions hold.

    ``actor`` and ``meta`` are conditions on the actor's and the resource's metadata.
    """
    return _rule("allow", action, resource, actor, meta, when)


def deny(
    action: str | Collection[str],
    resource: str | Collection[str] = "*",
    *,
    actor: Mapping[str, object] | None = None,
    meta: Mapping[str, object] | None = None,
    when: When | None = None,
) -> Policy:
    """A rule that refuses ``action`` on ``resource``, whatever else allows it."""
    return _rule("deny", action, resource, actor, meta, when)


def _policies(value: Iterable[Policy]) -> tuple[Policy, ...]:
    return tuple(value)


@attrs.frozen
class Scope:
    """A named set of policies: deny by default, any matching deny wins.

    Example::

        reader = Scope("reader", [allow("store.get", "cache"), allow("process.send", "log")])
    """

    name: str
    policies: tuple[Policy, ...] = attrs.field(converter=_policies)

    @property
    def static(self) -> bool:
        """True when every policy's decision depends only on action and resource."""
        return all(p.static for p in self.policies)

    def allows(self, actor: Actor, access: Access) -> bool:
        """True when some policy allows ``access`` and none denies it."""
        allowed = False
        for policy in self.policies:
            if policy.matches(actor, access):
                if policy.effect == "deny":
                    return False
                allowed = True
        return allowed
