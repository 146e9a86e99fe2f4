"""Child specs and supervisor specs check what they are given."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import actorkit
from actorkit.errors import SupervisorArgumentError

from .supervision_kit import spec, worker


def test_child_spec_defaults() -> None:
    child = actorkit.ChildSpec("w", worker)
    assert (child.args, child.restart, child.shutdown, child.name) == ((), "permanent", 5.0, None)
    assert child.grace == 5.0


def test_child_spec_brutal_shutdown_has_no_grace() -> None:
    assert actorkit.ChildSpec("w", worker, shutdown="brutal").grace == 0.0


def test_child_spec_of_a_supervisor_waits_for_it_without_limit() -> None:
    child = actorkit.ChildSpec("sub", actorkit.Supervisor())
    assert child.shutdown == math.inf


def test_child_spec_args_become_a_tuple() -> None:
    assert actorkit.ChildSpec("w", worker, [1, 2]).args == (1, 2)


def test_child_spec_rejects_a_function_that_is_not_async() -> None:
    with pytest.raises(TypeError, match="async function"):
        actorkit.ChildSpec("w", print)  # type: ignore[arg-type]


def test_supervisor_defaults() -> None:
    sup = actorkit.Supervisor()
    assert (sup.strategy, sup.max_restarts, sup.period, sup.stable_period) == (
        "one_for_one",
        3,
        5.0,
        5.0,
    )
    assert sup.backoff == actorkit.Backoff()


def test_restart_limit_error_names_supervisor_and_child() -> None:
    error = actorkit.RestartLimitError("app/db", "conn", 3, 5.0)
    assert str(error) == (
        "supervisor app/db gave up: child 'conn' broke the intensity limit (3 restarts in 5.0s)"
    )
    assert isinstance(error, actorkit.SupervisorError)
    assert isinstance(error, actorkit.ActorkitError)


# -- bad input: every field is checked when the spec is built ---------------------------------

BAD: list[tuple[str, str, dict[str, object]]] = [
    ("Supervisor", "children", {"children": "ab"}),
    ("Supervisor", "children", {"children": 5}),
    ("Supervisor", "children", {"children": [worker]}),
    ("Supervisor", "children", {"children": [spec("a"), spec("a")]}),
    ("Supervisor", "strategy", {"strategy": "all_for_none"}),
    ("Supervisor", "strategy", {"strategy": ["one_for_one"]}),
    ("Supervisor", "max_restarts", {"max_restarts": 1.5}),
    ("Supervisor", "max_restarts", {"max_restarts": -1}),
    ("Supervisor", "max_restarts", {"max_restarts": True}),
    ("Supervisor", "max_restarts", {"max_restarts": math.inf}),
    ("Supervisor", "period", {"period": 0}),
    ("Supervisor", "period", {"period": -5.0}),
    ("Supervisor", "period", {"period": math.nan}),
    ("Supervisor", "period", {"period": "5"}),
    ("Supervisor", "backoff", {"backoff": 1.0}),
    ("Supervisor", "backoff", {"backoff": None}),
    ("Supervisor", "stable_period", {"stable_period": -1}),
    ("Supervisor", "stable_period", {"stable_period": math.nan}),
    ("Supervisor", "stable_period", {"stable_period": False}),
    ("Backoff", "initial", {"initial": math.nan}),
    ("Backoff", "initial", {"initial": -1.0}),
    ("Backoff", "initial", {"initial": math.inf}),
    ("Backoff", "initial", {"initial": "1"}),
    ("Backoff", "max", {"max": -1.0}),
    ("Backoff", "max", {"max": math.nan}),
    ("Backoff", "max", {"max": math.inf}),
    ("Backoff", "max", {"initial": 10.0, "max": 5.0}),
    ("Backoff", "max", {"initial": 100.0}),  # more than the default max of 90 s
    ("Backoff", "factor", {"factor": 0.5}),
    ("Backoff", "factor", {"factor": 0}),
    ("Backoff", "factor", {"factor": math.nan}),
    ("Backoff", "factor", {"factor": math.inf}),
    ("Backoff", "factor", {"factor": True}),
    ("Backoff", "factor", {"factor": 10**400}),  # too large for a float
    ("Backoff", "initial", {"initial": 10**400}),
    ("Supervisor", "period", {"period": 10**400}),
    ("ChildSpec", "shutdown", {"shutdown": 10**400}),
    ("Backoff", "jitter", {"jitter": 1.5}),
    ("Backoff", "jitter", {"jitter": -0.1}),
    ("Backoff", "jitter", {"jitter": math.nan}),
    ("Backoff", "jitter", {"jitter": True}),
    ("ChildSpec", "id", {"id": ""}),
    ("ChildSpec", "id", {"id": 7}),
    ("ChildSpec", "id", {"id": None}),
    ("ChildSpec", "args", {"args": "12"}),
    ("ChildSpec", "args", {"args": 12}),
    ("ChildSpec", "args", {"args": {"a": 1}}),
    ("ChildSpec", "restart", {"restart": "sometimes"}),
    ("ChildSpec", "restart", {"restart": None}),
    ("ChildSpec", "shutdown", {"shutdown": -1.0}),
    ("ChildSpec", "shutdown", {"shutdown": math.nan}),
    ("ChildSpec", "shutdown", {"shutdown": "gently"}),
    ("ChildSpec", "shutdown", {"shutdown": True}),
    ("ChildSpec", "name", {"name": ""}),
    ("ChildSpec", "name", {"name": 123}),
]


def build(owner: str, kwargs: dict[str, object]) -> object:
    if owner == "Supervisor":
        return actorkit.Supervisor(**kwargs)  # type: ignore[arg-type]
    if owner == "Backoff":
        return actorkit.Backoff(**kwargs)  # type: ignore[arg-type]
    options = {"id": "w", "fn": worker, **kwargs}
    return actorkit.ChildSpec(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize(("owner", "field", "kwargs"), BAD, ids=lambda v: str(v)[:30])
def test_bad_field_raises_an_error_naming_the_class_and_the_field(
    owner: str, field: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(actorkit.SupervisorError) as caught:
        build(owner, kwargs)
    error = caught.value
    assert isinstance(error, SupervisorArgumentError)
    assert isinstance(error, ValueError)
    assert not isinstance(error, actorkit.CommandError)  # a spec is not a command
    assert (error.owner, error.field) == (owner, field)
    assert str(error).startswith(f"{owner}: {field} must be ")


@pytest.mark.parametrize(
    ("owner", "kwargs"),
    [
        ("Supervisor", {"max_restarts": 0, "period": math.inf, "stable_period": 0}),
        ("Supervisor", {"stable_period": math.inf, "period": 1}),
        ("Supervisor", {"children": (spec("a"), spec("b"))}),
        ("Backoff", {"initial": 0, "max": 0, "factor": 1, "jitter": 1}),
        ("Backoff", {"initial": 90, "max": 90, "jitter": 0}),
        ("ChildSpec", {"shutdown": 0}),
        ("ChildSpec", {"shutdown": math.inf, "args": (1,), "name": "w"}),
    ],
)
def test_edge_values_that_mean_now_or_never_are_accepted(
    owner: str, kwargs: dict[str, object]
) -> None:
    built = build(owner, kwargs)
    for key, value in kwargs.items():
        assert getattr(built, key) == value


def test_duplicate_child_ids_are_named_in_the_error() -> None:
    with pytest.raises(SupervisorArgumentError, match=r"distinct ids, got \['a', 'b', 'a'\]"):
        actorkit.Supervisor([spec("a"), spec("b"), spec("a")])


def test_backoff_with_a_huge_factor_stays_within_its_max() -> None:
    backoff = actorkit.Backoff(initial=1e300, max=1e308, factor=1e300, jitter=1)
    rng = random.Random(7)
    assert all(0 <= backoff.delay(n, rng) <= 1e308 for n in range(100))


# Values of every kind a field could be given by mistake.
anything = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.sampled_from(["one_for_one", "rest_for_one", "transient", "brutal", "w"]),
)


def fields(owner: str) -> st.SearchStrategy[dict[str, object]]:
    names = {
        "Supervisor": ["strategy", "max_restarts", "period", "stable_period", "backoff"],
        "Backoff": ["initial", "max", "factor", "jitter"],
        "ChildSpec": ["id", "args", "restart", "shutdown", "name"],
    }[owner]
    return st.dictionaries(st.sampled_from(names), anything, max_size=len(names))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["Supervisor", "Backoff", "ChildSpec"]).flatmap(
        lambda owner: st.tuples(st.just(owner), fields(owner))
    )
)
def test_any_input_gives_a_valid_spec_or_a_clear_error(case: tuple[str, dict[str, object]]) -> None:
    owner, kwargs = case
    try:
        built = build(owner, kwargs)
    except SupervisorArgumentError as error:
        assert error.owner == owner
        assert error.field in (*kwargs, "max")  # max can be refused for a given initial
        return
    if isinstance(built, actorkit.Backoff):
        delays = [built.delay(n, random.Random(n)) for n in (0, 1, 10, 100)]
        assert all(0 <= d <= built.max for d in delays)


def test_backoff_given_ints_computes_in_floats() -> None:
    backoff = actorkit.Backoff(initial=55199, max=55199, factor=55257, jitter=0)
    rng = random.Random(1)
    assert [backoff.delay(n, rng) for n in (0, 64, 10**6)] == [55199.0] * 3
    assert all(type(backoff.delay(n, rng)) is float for n in range(3))
