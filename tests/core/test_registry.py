"""The registry (a 256-slot list, then a dict) and command declarations."""

from __future__ import annotations

import pytest

import actorkit
from actorkit._api._context import HandlerContext
from actorkit._core._command import command, command_id, declare_range, module_of
from actorkit._core._handler import Receiver
from actorkit._core._registry import SYSTEM_SLOTS, Registry
from actorkit.errors import (
    CommandRangeError,
    CommandTakenError,
    NotACommandError,
    RegistryError,
    RegistryFrozenError,
)
from actorkit.modules import clock, process


def noop(ctx: HandlerContext, cmd: object, tag: int, receiver: Receiver) -> None:
    receiver.complete_yield(tag, None, None)


def other(ctx: HandlerContext, cmd: object, tag: int, receiver: Receiver) -> None:
    receiver.complete_yield(tag, "other", None)


@actorkit.command(id=40300)
class Owned(actorkit.Command[None]):
    pass


def test_registry_system_ids_use_a_256_slot_list() -> None:
    registry = Registry()
    system = registry.system
    extended = registry._extended  # pyright: ignore[reportPrivateUsage]
    assert SYSTEM_SLOTS == 256
    assert len(system) == 256
    registry.register(0, noop, owner="m")
    registry.register(255, noop, owner="m")
    registry.register(256, other, owner="m")
    registry.register(70_000, other, owner="m")
    assert (system[0], system[255]) == (noop, noop)
    assert extended == {256: other, 70_000: other}
    assert len(system) == 256
    assert (registry.get(255), registry.get(256)) == (noop, other)
    assert (registry.get(1), registry.get(257)) == (None, None)
    assert registry.ids() == [0, 255, 256, 70_000]


@pytest.mark.parametrize("cid", [5, 300])
def test_registry_taken_id_names_both_owners(cid: int) -> None:
    registry = Registry()
    registry.register(cid, noop, owner="first")
    with pytest.raises(
        CommandTakenError, match=f"id {cid} is already handled by 'first'.*'second'"
    ):
        registry.register(cid, other, owner="second")
    assert (registry.get(cid), registry.owner(cid)) == (noop, "first")


@pytest.mark.parametrize("cid", [5, 300])
def test_registry_register_after_freeze_fails(cid: int) -> None:
    registry = Registry()
    registry.freeze()
    assert registry.frozen
    with pytest.raises(RegistryFrozenError, match=f"'late' cannot register id {cid}"):
        registry.register(cid, noop, owner="late")
    assert registry.get(cid) is None


def test_registry_replace_works_after_freeze() -> None:
    registry = Registry()
    registry.register(300, noop, owner="real")
    registry.freeze()
    registry.replace(300, other, owner="fake")
    assert (registry.get(300), registry.owner(300)) == (other, "fake")


async def test_registry_booted_node_owns_module_ids(node: actorkit.Node) -> None:
    registry = node.registry
    assert all(registry.owner(cmd.ID) == "process" for cmd in _commands(process))
    assert all(registry.owner(cmd.ID) == "clock" for cmd in _commands(clock))
    assert [cmd.ID for cmd in _commands(process)] == list(range(1, 10))
    assert all(10 <= cmd.ID <= 29 for cmd in _commands(clock))


def _commands(module: object) -> list[type[actorkit.Command[object]]]:
    found = [getattr(module, name) for name in dir(module)]
    commands = [cls for cls in found if isinstance(cls, type) and hasattr(cls, "ID")]
    return sorted(commands, key=lambda cls: cls.ID)


def test_registry_overlapping_range_fails_at_once() -> None:
    with pytest.raises(CommandRangeError, match="ids 25-35 overlap module 'clock' ids 10-29"):
        declare_range("test-overlap", 25, 35)
    with pytest.raises(CommandRangeError, match="overlap module 'custom'"):
        declare_range("test-overlap", 250, 300)
    assert module_of(30) == "undeclared"


def test_registry_empty_range_fails() -> None:
    with pytest.raises(CommandRangeError, match="empty range"):
        declare_range("test-empty", 40, 30)
    with pytest.raises(CommandRangeError, match="empty range"):
        declare_range("test-empty", -1, 3)


def test_registry_redeclaring_the_same_range_is_allowed() -> None:
    declare_range("clock", 10, 29)
    assert module_of(10) == "clock"
    assert module_of(300) == "custom"


def test_registry_command_outside_its_module_range_fails() -> None:
    with pytest.raises(CommandRangeError, match=r"Stray \(id=30\) is outside module 'clock'"):

        @command(id=30, module="clock")
        class Stray(actorkit.Command[None]):
            pass


def test_registry_custom_command_below_256_fails() -> None:
    with pytest.raises(CommandRangeError, match=r"Low \(id=100\).*'custom' range 256-65535"):

        @actorkit.command(id=100)
        class Low(actorkit.Command[None]):
            pass


def test_registry_command_of_undeclared_module_fails() -> None:
    with pytest.raises(CommandRangeError, match="module 'nowhere' declared no range"):

        @command(id=30, module="nowhere")
        class Lost(actorkit.Command[None]):
            pass


def test_registry_two_command_classes_cannot_share_an_id() -> None:
    with pytest.raises(CommandTakenError, match=r"40300 is taken by .*Owned.*Thief"):

        @actorkit.command(id=40300)
        class Thief(actorkit.Command[None]):
            pass


def test_registry_command_id_of_non_commands() -> None:
    assert command_id(Owned()) == 40300
    assert Owned.ID == 40300
    for bad in [42, "Sleep", clock.Sleep, object()]:
        with pytest.raises(NotACommandError, match="not a command"):
            command_id(bad)


def test_registry_negative_id_is_rejected() -> None:
    registry = Registry()
    registry.register(255, noop, owner="m")
    assert registry.get(-1) is None
    with pytest.raises((RegistryError, ValueError)):
        registry.register(-1, other, owner="bad")
    assert registry.get(255) is noop
