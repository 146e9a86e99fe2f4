"""Bindings: what implements a contract. Functions, a process, or a ``Server``.

- :func:`functions`: a function per method, ``fn(input) -> output`` (sync or async), run
  as the call's work under the caller's cancel scope.
- :func:`process`: a process answering requests (``proc.request`` / ``proc.reply``); the
  topic is the method's name and the payload its input.
- :func:`server`: an ``actorkit.Server`` whose ``handle_call`` gets an :class:`~.spec.Invoke`.

Process and server bindings are asked from a process borrowed for the call, so a binding
that dies mid-call fails the call (``BindingFailedError``) instead of hanging it. A binding
retries the errors it marks ``retryable``, up to ``retries`` more times.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any, Literal

import attrs
import outcome

import actorkit
from actorkit import servers
from actorkit.checks import duration, integer, text

from .spec import Invoke

Kind = Literal["functions", "process", "server"]
Errors = tuple[type[Exception], ...]


@attrs.frozen
class Binding:
    """One implementation of a contract, found by ``name`` or by its ``meta``."""

    contract: str
    name: str
    kind: Kind
    target: Any
    meta: Mapping[str, object] = attrs.field(factory=dict[str, object], hash=False)
    timeout: float = 5.0
    retries: int = 0
    retryable: Errors = ()


def _options(factory: str, contract: str, name: str, timeout: float, retries: int) -> None:
    text(non_empty=True).option(factory, "contract", contract)
    text(non_empty=True).option(factory, "name", name)
    duration(finite=True, positive=True).option(factory, "timeout", timeout)
    integer(minimum=0).option(factory, "retries", retries)


def functions(
    contract: str,
    name: str,
    methods: Mapping[str, Callable[[Any], Any]],
    *,
    meta: Mapping[str, object] | None = None,
    retries: int = 0,
    retryable: Errors = (),
) -> Binding:
    """A binding that runs ``methods[method](input)`` (a plain or an async function)."""
    _options("contract.functions", contract, name, 5.0, retries)
    return Binding(
        contract, name, "functions", dict(methods), dict(meta or {}), 5.0, retries, retryable
    )


def process(
    contract: str,
    name: str,
    dest: actorkit.PID | str,
    *,
    meta: Mapping[str, object] | None = None,
    timeout: float = 5.0,
    retries: int = 0,
    retryable: Errors = (),
) -> Binding:
    """A binding served by the process ``dest``: ``request(dest, method, input)``."""
    _options("contract.process", contract, name, timeout, retries)
    return Binding(contract, name, "process", dest, dict(meta or {}), timeout, retries, retryable)


def server(
    contract: str,
    name: str,
    dest: actorkit.PID | str,
    *,
    meta: Mapping[str, object] | None = None,
    timeout: float = 5.0,
    retries: int = 0,
    retryable: Errors = (),
) -> Binding:
    """A binding served by the ``Server`` ``dest``: ``handle_call(Invoke(method, input))``."""
    _options("contract.server", contract, name, timeout, retries)
    return Binding(contract, name, "server", dest, dict(meta or {}), timeout, retries, retryable)


async def run(node: actorkit.Node, binding: Binding, method: str, value: object) -> object:
    """Run ``method`` on ``binding``, retrying what it marks retryable."""
    attempt = 0
    while True:
        try:
            return await _once(node, binding, method, value)
        except binding.retryable:
            attempt += 1
            if attempt > binding.retries:
                raise


async def _once(node: actorkit.Node, binding: Binding, method: str, value: object) -> object:
    if binding.kind == "functions":
        result = binding.target[method](value)
        return await result if inspect.isawaitable(result) else result
    async with node.process() as helper:  # it exits normally: the error is the caller's
        result = await outcome.acapture(_ask, helper, binding, method, value)
    return result.unwrap()


async def _ask(helper: actorkit.Process, binding: Binding, method: str, value: object) -> object:
    if binding.kind == "process":
        return await helper.request(binding.target, method, value, timeout=binding.timeout)
    invoke = Invoke(method, value)
    return await servers.call(helper, binding.target, invoke, timeout=binding.timeout)
