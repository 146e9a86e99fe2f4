"""A contract: a name and typed methods, each taking one input and giving one output.

Types are attrs classes (or anything cattrs structures: ``int``, ``list[str]`` …)::

    @attrs.frozen
    class Greeting:
        name: str

    @attrs.frozen
    class Reply:
        text: str

    GREETER = Contract("greeter", {"greet": Method(Greeting, Reply)})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from actorkit.servers import Call as ServerCall


@attrs.frozen
class Method:
    """One method: its ``input`` type and its ``output`` type (``type(None)`` for none)."""

    input: Any
    output: Any


def _methods(value: Mapping[str, Method]) -> Mapping[str, Method]:
    return dict(value)


@attrs.frozen
class Contract:
    """A typed interface: ``name`` and its methods by name."""

    name: str
    methods: Mapping[str, Method] = attrs.field(converter=_methods, hash=False)


@attrs.frozen
class Invoke(ServerCall[Any]):
    """What a ``Server`` binding's ``handle_call`` receives: a method and its input."""

    method: str
    input: Any
