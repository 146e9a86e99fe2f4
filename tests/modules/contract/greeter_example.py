"""A contract with two bindings: local functions and a process (the contracts guide's example)."""

import attrs

import actorkit
from actorkit.modules import contract


@attrs.frozen
class Greeting:
    name: str
    times: int = 1


@attrs.frozen
class Reply:
    text: str


GREETER = contract.Contract("greeter", {"greet": contract.Method(Greeting, Reply)})


def greet(greeting: Greeting) -> Reply:
    return Reply(" ".join([f"hello {greeting.name}"] * greeting.times))


async def shouter(proc: actorkit.Process) -> None:
    """A process binding: answers each request (topic = method) with proc.reply."""
    async for msg in proc.messages():
        greeting = msg.payload  # the input, checked against the contract already
        if isinstance(msg, actorkit.Request) and isinstance(greeting, Greeting):
            proc.reply(msg, Reply(f"HELLO {greeting.name.upper()}!"))


MODULES = [
    contract.module(
        [GREETER],
        [contract.functions("greeter", "local", {"greet": greet}, meta={"tone": "calm"})],
    )
]


async def main(proc: actorkit.Process) -> str:
    await proc.spawn(shouter, name="shouter", link=True)
    contract.bind(proc.node, contract.process("greeter", "loud", "shouter", meta={"tone": "loud"}))

    calm = await proc.call(contract.Call("greeter", "greet", Greeting("ada", times=2)))
    loud_handle = await proc.call(contract.Open("greeter", where={"tone": "loud"}))
    loud = await proc.call(contract.Call(loud_handle, "greet", {"name": "bob"}))
    refused = "accepted"
    try:
        await proc.call(contract.Call("greeter", "greet", {"name": "eve", "times": "2"}))
    except contract.ContractValidationError as exc:
        refused = str(exc)
    return f"{calm.text} | {loud.text} | {refused}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
