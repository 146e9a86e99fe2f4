"""A cache in front of a slow custom command: a Server that answers hits at once and, on a
miss, starts one lookup for the key and answers every caller waiting on it when it lands
(deferred replies: ``NoReply`` and ``Server.reply``).

Run it with ``python examples/17_cache.py`` or ``actorkit run examples/17_cache.py:main``.
"""

import attrs
import trio

import actorkit
from actorkit.modules import clock
from actorkit.servers import Call, CallResult, NoReply, call

PRICES = {"tea": 5, "cake": 3}
LOOKUPS: list[str] = []  # what the slow command was asked, to show the cache at work


@actorkit.command(id=310)
class FetchPrice(actorkit.Command[int]):
    """The slow source: a price service that takes a while to answer."""

    item: str


async def handle_fetch_price(ctx: actorkit.HandlerContext, cmd: FetchPrice) -> int:
    LOOKUPS.append(cmd.item)
    await trio.sleep(0.05)  # the service's latency
    return PRICES[cmd.item]


@attrs.frozen
class Price(Call[int]):
    item: str


@attrs.frozen
class Cache:
    prices: dict[str, int] = attrs.field(factory=dict[str, int])
    waiting: dict[str, list[actorkit.Request]] = attrs.field(
        factory=dict[str, list[actorkit.Request]]
    )


@attrs.frozen
class Fetched:
    """What a lookup sends back to the cache."""

    item: str
    price: int | None
    error: LookupError | None = None


async def fetch(proc: actorkit.Process, cache: actorkit.PID, item: str) -> None:
    """One lookup, in a process of its own so the cache keeps answering meanwhile."""
    try:
        fetched = Fetched(item, await proc.call(FetchPrice(item)))
    except LookupError as exc:
        fetched = Fetched(item, None, exc)
    await proc.send(cache, "fetched", fetched)


class PriceCache(actorkit.Server[Cache]):
    def init(self, proc: actorkit.Process) -> Cache:
        return Cache()

    async def handle_call(self, request: object, state: Cache) -> CallResult[Cache]:
        assert isinstance(request, Price) and self.current is not None
        if request.item in state.prices:
            return state.prices[request.item], state  # a hit: answered at once
        waiting = state.waiting.setdefault(request.item, [])
        if not waiting:  # the first miss for this key starts the one lookup
            await self.proc.spawn(fetch, self.proc.pid, request.item, link=True)
        waiting.append(self.current)
        return NoReply(state)  # answered when the lookup lands

    def handle_info(self, event: actorkit.Event, state: Cache) -> Cache:
        if isinstance(event, actorkit.Message) and isinstance(event.payload, Fetched):
            fetched = event.payload
            if fetched.price is not None:
                state.prices[fetched.item] = fetched.price
            for request in state.waiting.pop(fetched.item, []):
                self.reply(request, fetched.price, error=fetched.error)
        return state


MODULES = [clock.module(), actorkit.handlers("prices", {FetchPrice: handle_fetch_price})]


async def main(proc: actorkit.Process) -> str:
    await PriceCache.start(proc, name="prices", link=True)
    results: list[int] = []

    async def ask(caller: actorkit.Process) -> None:
        results.append(await call(caller, "prices", Price("tea")))

    callers = [await proc.spawn(ask, monitor=True) for _ in range(3)]
    for _ in callers:
        await proc.receive(kind=actorkit.Exit)
    cached = await call(proc, "prices", Price("tea"))
    try:
        missing = f"scones cost {await call(proc, 'prices', Price('scones'))}"
    except KeyError as exc:  # the lookup's error, raised at each caller
        missing = f"no price for {exc}"
    return (
        f"tea costs {results} for 3 callers and {cached} from the cache; "
        f"{LOOKUPS.count('tea')} lookup of tea; {missing}"
    )


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
