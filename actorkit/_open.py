"""Opening a node inside a Trio program, and running a program on one: the node's
assembly, above the kernel, since every node boots the process module."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import TypeVar, TypeVarTuple, Unpack, cast

import trio

from ._api._boot import Boot, Component
from ._api._node import Node
from ._api._process import Process
from ._components import load_all, order, start_all, stop_all
from ._core._node import DEFAULT_MAILBOX_SIZE
from .errors import BootError
from .modules.process import module as process_module

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


@asynccontextmanager
async def open_node(
    *,
    modules: Sequence[Component] = (),
    name: str = "local",
    mailbox_size: int = DEFAULT_MAILBOX_SIZE,
    shutdown_grace: float = 10.0,
    direct_handoff: bool = True,
) -> AsyncGenerator[Node, None]:
    """Boot a node in the current Trio run and shut it down when the block ends.

    Components load in dependency order (the process module is always there), the registry
    freezes, components start; on exit every process gets ``Cancel("shutdown")``, has
    ``shutdown_grace`` seconds to finish, and is then cancelled; components stop in reverse.
    ``direct_handoff=False`` makes every ``Server`` call go through the server's mailbox
    (by default a call to an idle server with a synchronous ``handle_call`` runs it at once
    on the caller's turn, as the server; see the servers guide).

    Raises:
        BootError: a component could not be ordered, loaded or started.
    """
    node = Node(
        name=name,
        mailbox_size=mailbox_size,
        shutdown_grace=shutdown_grace,
        direct_handoff=direct_handoff,
    )
    components = order([process_module(), *modules])
    body = _BodyError()
    error: BaseException | None = None
    try:
        async with _running(node, components, body) as running:
            yield running
    except BaseExceptionGroup as group:
        error = body.unwrap(group)
        if error is group:
            raise
    if error is not None:
        raise error  # outside the except block, so its own cause and context stay intact


class _BodyError:
    """Remembers what the ``async with`` body raised, to give it back unwrapped.

    The node's nurseries wrap whatever escapes them in exception groups; a caller of
    ``open_node`` should see the body's own exception, or a lone ``BootError``, as is.
    """

    def __init__(self) -> None:
        self.error: BaseException | None = None

    def unwrap(self, group: BaseExceptionGroup[BaseException]) -> BaseException:
        leaves = list(_leaves(group))
        if self.error is not None and all(leaf is self.error for leaf in leaves):
            return self.error
        if len(leaves) == 1 and isinstance(leaves[0], BootError):
            return leaves[0]
        return group


def _leaves(group: BaseExceptionGroup[BaseException]) -> Iterator[BaseException]:
    exc: BaseException
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            yield from _leaves(cast("BaseExceptionGroup[BaseException]", exc))
        else:
            yield exc


@asynccontextmanager
async def _running(
    node: Node, components: Sequence[Component], body: _BodyError
) -> AsyncGenerator[Node, None]:
    async with trio.open_nursery() as services:
        services.start_soon(node.timers.run)  # expires timed receives and requests
        boot = Boot(node, services)
        load_all(boot, components)
        async with trio.open_nursery() as dispatch:
            async with trio.open_nursery() as processes:
                node.attach(processes, dispatch)
                started = await _start(boot, components)
                try:
                    yield node
                except BaseException as exc:
                    body.error = exc
                    raise
                finally:
                    with trio.CancelScope(shield=True):
                        try:
                            await node.shutdown()
                        finally:
                            await stop_all(boot, started)
            dispatch.cancel_scope.cancel()
        services.cancel_scope.cancel()


async def _start(boot: Boot, components: Sequence[Component]) -> list[Component]:
    """Start the components once processes can run (a component may spawn some)."""
    try:
        return await start_all(boot, components)
    except BaseException:
        with trio.CancelScope(shield=True):
            await boot.node.shutdown()
        raise


def run(
    main: Callable[[Process, Unpack[Ts]], Awaitable[T]],
    *args: *Ts,
    modules: Sequence[Component] = (),
    name: str = "local",
    mailbox_size: int = DEFAULT_MAILBOX_SIZE,
    shutdown_grace: float = 10.0,
    direct_handoff: bool = True,
) -> T:
    """Boot a node, run ``main(process, *args)`` as its first process, and shut down.

    Returns main's result. Raises ``ProcessFailedError`` (caused by main's error) if it fails.
    """

    async def _main() -> T:
        async with open_node(
            modules=modules,
            name=name,
            mailbox_size=mailbox_size,
            shutdown_grace=shutdown_grace,
            direct_handoff=direct_handoff,
        ) as node:
            result: T = await node.exec(main, *args)
            return result

    return trio.run(_main)
