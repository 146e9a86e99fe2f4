"""A command of your own: an ID of 256 or more, a handler, and a boot component for it."""

import trio

import actorkit

WORDS = {("hello", "fr"): "bonjour", ("world", "fr"): "monde", ("hello", "de"): "hallo"}


@actorkit.command(id=300)
class Translate(actorkit.Command[str]):  # proc.call(Translate(...)) returns a str
    text: str
    lang: str


async def handle_translate(ctx: actorkit.HandlerContext, cmd: Translate) -> str:
    """Runs as work owned by the caller: cancelled if the caller times out or exits."""
    await trio.lowlevel.checkpoint()  # a real handler would await a service here
    missing = [word for word in cmd.text.split() if (word, cmd.lang) not in WORDS]
    if missing:
        raise LookupError(f"no {cmd.lang} word for {missing[0]!r}")
    return " ".join(WORDS[word, cmd.lang] for word in cmd.text.split())


MODULES = [actorkit.handlers("translate", {Translate: handle_translate})]


async def main(proc: actorkit.Process) -> str:
    french = await proc.call(Translate("hello world", "fr"), timeout=1.0)
    try:
        german = await proc.call(Translate("goodbye", "de"))
    except LookupError as exc:  # a failing handler fails only that call
        german = f"failed: {exc}"
    return f"{french}; {german}"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
