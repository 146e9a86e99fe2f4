"""A small contract, its types and its bindings, shared by the contract tests."""

from __future__ import annotations

import attrs
import trio

import actorkit
from actorkit.modules import contract


@attrs.frozen
class Pair:
    a: int
    b: int


@attrs.frozen
class Sum:
    total: int


@attrs.frozen
class Greeting:
    name: str


@attrs.frozen
class Text:
    text: str


CALC = contract.Contract(
    "calc", {"add": contract.Method(Pair, Sum), "greet": contract.Method(Greeting, Text)}
)


@attrs.define
class Ledger:
    """What the bindings did, for tests to look at."""

    calls: list[str] = attrs.field(factory=list[str])
    cancelled: int = 0


LEDGER = Ledger()


def add(pair: Pair) -> Sum:
    LEDGER.calls.append(f"add {pair.a} {pair.b}")
    return Sum(pair.a + pair.b)


async def greet(who: Greeting) -> Text:
    await trio.lowlevel.checkpoint()
    LEDGER.calls.append(f"greet {who.name}")
    return Text(f"hello {who.name}")


async def slow_greet(who: Greeting) -> Text:
    try:
        await trio.sleep(100)
    finally:
        LEDGER.cancelled += 1
    return Text(who.name)


def bad_add(pair: Pair) -> object:
    return {"total": str(pair.a)}  # a str where the contract says int


LOCAL = contract.functions("calc", "local", {"add": add, "greet": greet}, meta={"zone": "a"})
SLOW = contract.functions("calc", "slow", {"add": add, "greet": slow_greet}, meta={"zone": "b"})
BAD = contract.functions("calc", "bad", {"add": bad_add, "greet": greet})


async def calc_process(proc: actorkit.Process, die_on: str = "") -> None:
    """A process binding: answers ``add`` requests; exits without answering ``die_on``."""
    while True:
        msg = await proc.receive()
        if msg.topic == die_on:
            raise RuntimeError("the binding crashed")
        pair = msg.payload
        assert isinstance(pair, Pair)
        proc.reply(msg, Sum(pair.a * 10 + pair.b))


class CalcServer(actorkit.Server[int]):
    """A Server binding counting the calls it answered."""

    def init(self, proc: actorkit.Process) -> int:
        return 0

    def handle_call(self, request: object, state: int) -> tuple[object, int]:
        assert isinstance(request, contract.Invoke)
        if request.method == "add":
            return Sum(request.input.a - request.input.b), state + 1
        return {"text": f"served {request.input.name}"}, state + 1


def modules(*bindings: contract.Binding) -> list[actorkit.Component]:
    """The contract module with CALC and ``bindings`` (LOCAL, SLOW and BAD by default)."""
    return [contract.module([CALC], bindings or (LOCAL, SLOW, BAD))]
