"""Scripted handlers: replace any command's handler by type (the test kit uses this)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar, cast

import attrs

if TYPE_CHECKING:
    from .._core._handler import Receiver
    from .._core._registry import Registry
    from ._context import HandlerContext

C = TypeVar("C")
FakeFn = Callable[[C], object] | Callable[[C], Awaitable[object]]


@attrs.define
class Fake(Generic[C]):
    """A scripted handler; ``calls`` lists the commands it received, in order."""

    command: type[C]
    fn: FakeFn[C]
    calls: list[C] = attrs.field(init=False, factory=list[C])

    def handle(self, ctx: HandlerContext, cmd: C, tag: int, receiver: Receiver) -> None:
        """Record the call and complete it with ``fn(cmd)`` (run as work if ``fn`` is async)."""
        self.calls.append(cmd)
        if inspect.iscoroutinefunction(self.fn):
            afn = cast("Callable[[C], Awaitable[object]]", self.fn)
            ctx.start_soon(tag, _complete, afn, cmd, tag, receiver)
        else:
            receiver.complete_yield(tag, self.fn(cmd), None)


async def _complete(
    fn: Callable[[C], Awaitable[object]], cmd: C, tag: int, receiver: Receiver
) -> None:
    receiver.complete_yield(tag, await fn(cmd), None)


def install(registry: Registry, command: type[C], fn: FakeFn[C]) -> Fake[C]:
    """Replace the handler of ``command`` with ``fn`` (sync or async; it may raise)."""
    command_id = getattr(command, "ID", None)
    if type(command_id) is not int:
        raise TypeError(f"fake() needs a command class, got {command!r}")
    fake = Fake(command, fn)
    registry.replace(command_id, fake.handle, owner=f"fake {command.__name__}")
    return fake
