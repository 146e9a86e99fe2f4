"""Bad input: every public command, built from generated values, is a valid command or a
clear ``CommandArgumentError`` naming the command, its ID and the field, never another error.

Every command class of every module (``actorkit.modules.*``: the ``commands`` module and
the package's public names) is built from values drawn per field: plausible ones (short
names, small numbers, PIDs, a process function) and hostile ones (None, bools, NaN, ±inf,
negative numbers, ``10**5000``, lone surrogates, containers, a list nested 10,000 deep,
objects whose ``__repr__`` raises). ``ACTORKIT_BAD_INPUT_EXAMPLES`` sets the builds tried
per command (default 200). ``python -m tests.faults.test_bad_input`` prints the figures.
"""

from __future__ import annotations

import functools
import importlib
import math
import os
import pkgutil
import sys
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any, cast

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import actorkit
import actorkit.modules
from actorkit.errors import CommandArgumentError
from actorkit.modules import clock, function, process

EXAMPLES = int(os.environ.get("ACTORKIT_BAD_INPUT_EXAMPLES", "200"))
FIGURES = __name__ == "__main__"  # run as a script: one fixed seed, no example database
FIGURE_SETTINGS: dict[str, Any] = {"derandomize": True, "database": None} if FIGURES else {}
OMIT = "<default>"


class BrokenRepr:
    """An object whose ``__repr__`` and ``__str__`` raise."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr for you")

    __str__ = __repr__


class Text(str):
    """A str subclass (not a plain str)."""


async def process_function(proc: actorkit.Process) -> None:
    return None


def nested(depth: int) -> list[object]:
    inner: list[object] = []
    for _ in range(depth):
        inner = [inner]
    return inner


HOSTILE: dict[str, object] = {
    "None": None,
    "True": True,
    "False": False,
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "-1": -1,
    "-0.5": -0.5,
    "-0.0": -0.0,
    "10**5000": 10**5000,
    "-(10**5000)": -(10**5000),
    "1e308": 1e308,
    "1j": 1j,
    "Decimal(1)": Decimal(1),
    "Fraction(1, 2)": Fraction(1, 2),
    "lone surrogate": "\ud800",
    "surrogate inside": "a\udfffb",
    "empty str": "",
    "NUL str": "a\x00b",
    "str subclass": Text("a"),
    "long str": "x" * 100_000,
    "bytes": b"a",
    "empty list": [],
    "list": ["a", 1],
    "empty dict": {},
    "dict with int keys": {1: "a"},
    "set": {"a"},
    "nested list": nested(10_000),
    "broken repr": BrokenRepr(),
    "object": object(),
    "type": int,
    "sync function": len,
}
PLAUSIBLE: dict[str, object] = {
    "name": "a",
    "dotted name": "app.x",
    "pattern": "app.*",
    "scope": "default",
    "sql": "SELECT 1",
    "0": 0,
    "1": 1,
    "42": 42,
    "0.5": 0.5,
    "2.5": 2.5,
    "empty tuple": (),
    "tuple": (1, "a"),
    "str list": ["a"],
    "kwargs": {"a": 1},
    "pid": actorkit.PID("test", 1),
    "process function": process_function,
}
BY_TYPE: dict[str, st.SearchStrategy[object]] = {
    "str": st.text(max_size=12),
    "int": st.integers(),
    "float": st.floats(),
    "bool": st.booleans(),
    "PID": st.builds(actorkit.PID, st.just("test"), st.integers(0, 9)),
    "tuple": st.tuples(st.integers()),
    "Mapping": st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
}


def hostile(key: str) -> tuple[str, object]:
    return ("hostile", key)


def plausible(key: str) -> tuple[str, object]:
    return ("plausible", key)


@functools.cache
def value_strategy(annotation: str, optional: bool) -> st.SearchStrategy[tuple[str, object]]:
    """Draws ``(kind, x)``: a key of HOSTILE or PLAUSIBLE (printable), or a generated value;
    ``(OMIT, None)`` too when the field is ``optional`` (has a default)."""
    typed = [strategy for word, strategy in BY_TYPE.items() if word in annotation]
    drawn = st.one_of(
        st.sampled_from(sorted(HOSTILE)).map(hostile),
        st.sampled_from(sorted(PLAUSIBLE)).map(plausible),
        st.one_of(st.text(max_size=8), st.integers(), st.floats(), *typed).map(generated),
    )
    return st.one_of(st.just((OMIT, None)), drawn) if optional else drawn


def generated(value: object) -> tuple[str, object]:
    return ("generated", value)


def resolve(kind: str, drawn: object) -> object:
    if kind == "hostile":
        return HOSTILE[str(drawn)]
    if kind == "plausible":
        return PLAUSIBLE[str(drawn)]
    return drawn


# -- finding the commands ----------------------------------------------------------------


def module_packages() -> list[ModuleType]:
    """Every package under ``actorkit.modules``, imported."""
    found = pkgutil.iter_modules(actorkit.modules.__path__, "actorkit.modules.")
    return [importlib.import_module(info.name) for info in found if info.ispkg]


def command_classes() -> list[type[Any]]:
    """Every public command class of every module, by ID."""
    found: dict[int, type[Any]] = {}
    for package in module_packages():
        for namespace in (package, _commands_module(package)):
            if namespace is not None:
                found.update(_commands_in(namespace))
    return [found[cid] for cid in sorted(found)]


def _commands_module(package: ModuleType) -> ModuleType | None:
    try:
        return importlib.import_module(f"{package.__name__}.commands")
    except ModuleNotFoundError:
        return None


def _commands_in(namespace: ModuleType) -> dict[int, type[Any]]:
    found: dict[int, type[Any]] = {}
    for name, obj in vars(namespace).items():
        if name.startswith("_") or not isinstance(obj, type):
            continue
        cls: type[Any] = obj
        cid = getattr(cls, "ID", None)
        if attrs.has(cls) and type(cid) is int and issubclass(cls, actorkit.Command):
            found[cid] = cls
    return found


COMMANDS = command_classes()


def module_name(cls: type[Any]) -> str:
    """``clock`` for ``actorkit.modules.clock.commands``; ``process`` for the user API's."""
    parts = cls.__module__.split(".")
    return "process" if parts[1] == "_api" else parts[2]


def label(cls: type[Any]) -> str:
    return f"{module_name(cls)}.{cls.__name__}"


# -- building ------------------------------------------------------------------------------

TALLY: Counter[tuple[str, str]] = Counter()
"""(command label, outcome) -> builds: ``refused`` / ``accepted``, each also counted with a
``hostile-`` prefix when at least one field held a hostile value."""


def build(cls: type[Any], values: dict[str, object], hostile_fields: int) -> None:
    """Build ``cls``; a refusal must be a clear ``CommandArgumentError``, else this raises."""
    try:
        cls(**values)
    except CommandArgumentError as exc:
        assert_clear(cls, exc)
        outcome = "refused"
    else:
        outcome = "accepted"
    TALLY[label(cls), outcome] += 1
    if hostile_fields:
        TALLY[label(cls), f"hostile-{outcome}"] += 1


def assert_clear(cls: type[Any], exc: CommandArgumentError) -> None:
    fields = {field.name for field in attrs.fields(cls)} | {
        field.alias for field in attrs.fields(cls)
    }
    message = str(exc)
    assert exc.field in fields, (message, exc.field)
    assert message.startswith(f"{cls.__name__} (id={cls.ID}): {exc.field} "), message


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    **FIGURE_SETTINGS,
)
@given(data=st.data())
def build_from_generated_values(cls: type[Any], data: st.DataObject) -> None:
    """One build of ``cls`` from values drawn field by field (defaults sometimes kept)."""
    drawn = data.draw(fields_strategy(cls))
    values = {alias: resolve(kind, x) for alias, (kind, x) in drawn.items() if kind != OMIT}
    build(cls, values, sum(kind == "hostile" for kind, _x in drawn.values()))


def fields_strategy(cls: type[Any]) -> st.SearchStrategy[dict[str, tuple[str, object]]]:
    """``{alias: (kind, x)}`` for every field of ``cls`` that ``__init__`` takes."""
    strategy = _STRATEGIES.get(cls)
    if strategy is None:
        strategy = _STRATEGIES[cls] = st.fixed_dictionaries(
            {
                field.alias: value_strategy(str(field.type), field.default is not attrs.NOTHING)
                for field in attrs.fields(cls)
                if field.init
            }
        )
    return strategy


_STRATEGIES: dict[type[Any], st.SearchStrategy[dict[str, tuple[str, object]]]] = {}


# -- tests ---------------------------------------------------------------------------------


def test_bad_input_finds_the_commands_of_every_module() -> None:
    modules = {module_name(cls) for cls in COMMANDS}
    assert {"process", "clock", "event", "function", "pg", "sql", "store"} <= modules
    assert {1, 2, 3, 4, 5, 6, 7, 8, 9} <= {cls.ID for cls in COMMANDS}
    assert len(COMMANDS) >= 50


@pytest.mark.parametrize("cls", COMMANDS, ids=label)
def test_bad_input_gives_a_command_or_a_clear_error(cls: type[Any]) -> None:
    build_from_generated_values(cls)
    if any(field.init for field in attrs.fields(cls)):  # a command with no fields (Nodes)
        assert TALLY[label(cls), "refused"] > 0  # hostile values reached the checks


KNOWN: list[tuple[Callable[..., object], tuple[object, ...], dict[str, object], str]] = [
    (clock.TimerStart, (math.nan,), {}, "delay"),
    (clock.TimerReset, (1, math.nan), {}, "delay"),
    (clock.Sleep, ("1",), {}, "seconds"),
    (clock.Sleep, (-1,), {}, "seconds"),
    (function.Call, ("f",), {"args": "12"}, "args"),
    (function.Call, (["x"],), {}, "name"),
    (function.AsyncCancel, ("x",), {}, "handle"),
    (process.Send, ("x", None), {}, "topic"),
    (process.Spawn, (process_function,), {"name": 123}, "name"),
    (process.Spawn, (process_function,), {"mailbox_size": math.nan}, "mailbox_size"),
    (process.Spawn, (process_function,), {"mailbox_size": 1.5}, "mailbox_size"),
    (process.Spawn, (len,), {}, "fn"),
    (process.Terminate, ("x",), {"grace": -1}, "grace"),
    (process.Exec, (process_function, "12"), {}, "args"),
]
"""The bad inputs issue 7 found in these modules: each is refused when built."""


@pytest.mark.parametrize(("cls", "args", "kwargs", "field"), KNOWN, ids=repr)
def test_bad_input_found_by_issue_7_is_refused(
    cls: Callable[..., object], args: tuple[object, ...], kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(CommandArgumentError) as caught:
        cls(*args, **kwargs)
    command = cast("type[Any]", cls)
    assert str(caught.value).startswith(f"{command.__name__} (id={command.ID}): {field} must be")


# -- figures -------------------------------------------------------------------------------


def main() -> int:
    """Build every command (same seed each run) and print the figures; 1 if any was unclear."""
    failed: dict[str, str] = {}
    for cls in COMMANDS:
        try:
            build_from_generated_values(cls)
        except Exception as exc:  # report every command, then fail
            failed[label(cls)] = f"{type(exc).__name__}: {str(exc)[:160]}"
    print_figures(failed)
    return 1 if failed else 0


def print_figures(failed: dict[str, str]) -> None:
    rows: dict[str, Counter[str]] = {}
    for (command, outcome), count in TALLY.items():
        rows.setdefault(command.split(".")[0], Counter())[outcome] += count
    for cls in COMMANDS:
        row = rows.setdefault(module_name(cls), Counter())
        row["commands"] += 1
        row["unclear"] += label(cls) in failed
    rows["all"] = sum(rows.values(), Counter[str]())
    print(f"builds per command: {EXAMPLES} (plus replays of failures)")
    print(
        "| module | commands | builds | valid | refused clearly | hostile value in it | unclear |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for module, row in rows.items():
        built = row["accepted"] + row["refused"]
        hostile = row["hostile-accepted"] + row["hostile-refused"]
        print(
            f"| {module} | {row['commands']} | {built} | {row['accepted']} | {row['refused']} "
            f"| {hostile} ({row['hostile-refused']} refused) | {row['unclear']} |"
        )
    for command, error in failed.items():
        print(f"unclear: {command}: {error}")


if __name__ == "__main__":
    sys.exit(main())
