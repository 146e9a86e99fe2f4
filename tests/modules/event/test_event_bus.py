"""Subscribe / Send / Unsubscribe, bad input, and cleanup when a subscriber exits."""

from __future__ import annotations

from typing import Any

import pytest
import trio
from trio.testing import MockClock

import actorkit
import actorkit.errors
from actorkit.modules import event


async def test_a_subscriber_receives_matching_events(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        sub = await proc.call(event.Subscribe("app.*", "order.(placed|paid)"))
        assert await proc.call(event.Send("app.shop", "order.placed", "/orders/1", {"n": 1})) == 1
        assert await proc.call(event.Send("app.shop", "order.cancelled", "/orders/1")) == 0
        assert await proc.call(event.Send("other", "order.paid", "/orders/1")) == 0
        assert await proc.call(event.Send("app.shop.eu", "order.paid", "/orders/1")) == 0
        got = await proc.receive(kind=event.BusEvent)
        assert got == event.BusEvent("app.shop", "order.placed", "/orders/1", {"n": 1}, sub)
        with pytest.raises(trio.TooSlowError):
            await proc.receive(kind=event.BusEvent, timeout=1)


async def test_no_kind_pattern_means_any_kind(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        await proc.call(event.Subscribe("app"))
        for kind in ("a", "b.c"):
            await proc.call(event.Send("app", kind))
        kinds = [(await proc.receive(kind=event.BusEvent)).kind for _ in range(2)]
        assert kinds == ["a", "b.c"]


async def test_each_subscription_gets_its_own_copy(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc, bus_node.process() as other:
        one = await proc.call(event.Subscribe("**"))
        two = await proc.call(event.Subscribe("app"))
        three = await other.call(event.Subscribe("app.**"))
        assert await proc.call(event.Send("app", "k", "p", 1)) == 3
        subs = [(await proc.receive(kind=event.BusEvent)).subscription for _ in range(2)]
        assert subs == [one, two]
        assert (await other.receive(kind=event.BusEvent)).subscription == three


async def test_unsubscribe_stops_delivery(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        sub = await proc.call(event.Subscribe("app"))
        assert await proc.call(event.Unsubscribe(sub)) is True
        assert await proc.call(event.Send("app", "k")) == 0
        assert await proc.call(event.Unsubscribe(sub)) is False
        assert await proc.call(event.Unsubscribe(999)) is False
        assert proc.mailbox.find(event.BusEvent, None, None, 0) == -1


async def test_unsubscribe_of_another_process_subscription_returns_false(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as owner, bus_node.process() as other:
        sub = await owner.call(event.Subscribe("app"))
        assert await other.call(event.Unsubscribe(sub)) is False
        assert await other.call(event.Send("app", "k")) == 1
        assert (await owner.receive(kind=event.BusEvent)).subscription == sub


async def subscriber(proc: actorkit.Process, parent: actorkit.PID) -> None:
    await proc.call(event.Subscribe("app"))
    await proc.call(event.Subscribe("**", "k"))
    await proc.send(parent, "subscribed", None)
    await proc.receive(kind=actorkit.Cancel)


@pytest.mark.parametrize("how", ["cancel", "terminate"])
async def test_subscriptions_end_when_the_subscriber_exits(
    autojump_clock: MockClock, bus_node: actorkit.Node, how: str
) -> None:
    async with bus_node.process() as proc:
        pid = await proc.spawn(subscriber, proc.pid, monitor=True)
        await proc.receive("subscribed")
        assert event.statistics(bus_node)["subscriptions"] == 2
        if how == "cancel":
            await proc.cancel(pid)
        else:
            await proc.terminate(pid)
        await proc.receive(kind=actorkit.Exit)
        assert event.statistics(bus_node)["subscriptions"] == 0
        assert event.statistics(bus_node)["subscribers"] == 0
        assert await proc.call(event.Send("app", "k")) == 0


MALFORMED = ["", "a..b", ".a", "a.", "***", "a**b", "a*", "**.**", "(a|)", "a|b"]


@pytest.mark.parametrize("pattern", MALFORMED)
def test_subscribe_rejects_a_malformed_system_pattern(pattern: str) -> None:
    with pytest.raises(event.PatternError) as caught:
        event.Subscribe(pattern)
    assert str(caught.value).startswith(
        f"Subscribe (id=90): system must be a valid pattern ({caught.value.reason}), "
        f"got {pattern!r}"
    )
    assert isinstance(caught.value, actorkit.errors.CommandArgumentError)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("pattern", [*MALFORMED, 7, "a.\ud800"])
def test_subscribe_rejects_a_malformed_kind_pattern(pattern: str) -> None:
    with pytest.raises(event.PatternError, match=r"^Subscribe \(id=90\): kind must be a valid"):
        event.Subscribe("app", pattern)


async def test_subscribe_after_a_refused_pattern_still_works(
    autojump_clock: MockClock, bus_node: actorkit.Node
) -> None:
    async with bus_node.process() as proc:
        with pytest.raises(event.PatternError):
            await proc.call(event.Subscribe("a..b"))
        assert event.statistics(bus_node)["subscriptions"] == 0
        await proc.call(event.Subscribe("app.*"))
        assert await proc.call(event.Send("app.x", "k")) == 1


BAD_SENDS: list[tuple[tuple[object, ...], str]] = [
    (("", "k"), "system"),
    (("a..b", "k"), "system"),
    (("a.*", "k"), "system"),
    ((3, "k"), "system"),
    (("a\ud800", "k"), "system"),
    (("a", ""), "kind"),
    (("a", "x.(y|z)"), "kind"),
    (("a", None), "kind"),
    (("a", "k", 5), "path"),
    (("a", "k", "\ud800"), "path"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_SENDS)
def test_send_rejects_bad_fields(fields: tuple[Any, ...], field: str) -> None:
    with pytest.raises(event.InvalidEventError, match=rf"^Send \(id=91\): {field} must be"):
        event.Send(*fields)


@pytest.mark.parametrize("subscription", ["1", 1.0, None, True], ids=repr)
def test_unsubscribe_rejects_a_non_int(subscription: Any) -> None:
    with pytest.raises(event.InvalidEventError, match=r"^Unsubscribe \(id=92\): subscription"):
        event.Unsubscribe(subscription)


def test_command_ids() -> None:
    assert (event.Subscribe.ID, event.Send.ID, event.Unsubscribe.ID) == (90, 91, 92)


async def test_commands_fail_clearly_without_the_event_module(node: actorkit.Node) -> None:
    async with node.process() as proc:
        with pytest.raises(actorkit.UnknownCommandError, match=r"Subscribe \(id=90\)"):
            await proc.call(event.Subscribe("app"))
