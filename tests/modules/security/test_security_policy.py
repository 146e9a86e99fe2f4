"""The policy model on its own: patterns, conditions, deny by default, any deny wins."""

from __future__ import annotations

from actorkit.modules.security import Access, Actor, Scope, allow, deny, generic_action
from actorkit.modules.store import Get

ADA = Actor("ada", {"role": "admin", "team": "ops"})
BOB = Actor("bob", {"role": "reader"})


def test_policy_denies_by_default_and_allows_what_matches() -> None:
    scope = Scope("s", [allow("store.get", "cache")])
    assert scope.allows(BOB, Access("store.get", "cache"))
    assert not scope.allows(BOB, Access("store.set", "cache"))
    assert not scope.allows(BOB, Access("store.get", "secrets"))
    assert not Scope("empty", []).allows(ADA, Access("store.get", "cache"))


def test_policy_any_deny_wins_whatever_the_order() -> None:
    for policies in (
        [allow("store.*"), deny("store.delete")],
        [deny("store.delete"), allow("store.*")],
    ):
        scope = Scope("s", policies)
        assert scope.allows(ADA, Access("store.set", "cache"))
        assert not scope.allows(ADA, Access("store.delete", "cache"))


def test_policy_patterns_match_whole_names() -> None:
    scope = Scope("s", [allow(["sql.query", "sql.execute"], "reports/*")])
    assert scope.allows(BOB, Access("sql.query", "reports/2026"))
    assert not scope.allows(BOB, Access("sql.query", "reports"))
    assert not scope.allows(BOB, Access("sql.query_all", "reports/x"))  # no prefix match
    assert not scope.allows(BOB, Access("xsql.query", "reports/x"))


def test_policy_conditions_on_actor_and_resource_metadata() -> None:
    scope = Scope(
        "s",
        [
            allow("store.*", actor={"role": ("admin", "writer")}),
            allow("store.get", meta={"public": True}),
            deny("*", actor={"team": "ops"}, meta={"frozen": True}),
        ],
    )
    assert scope.allows(ADA, Access("store.set", "cache"))
    assert not scope.allows(BOB, Access("store.set", "cache"))
    assert scope.allows(BOB, Access("store.get", "cache", {"public": True}))
    assert not scope.allows(BOB, Access("store.get", "cache", {"public": False}))
    assert not scope.allows(ADA, Access("store.get", "cache", {"frozen": True}))
    assert not scope.static
    assert Scope("plain", [allow("*", actor={"role": "admin"})]).static


def test_policy_when_decides_what_data_cannot() -> None:
    own = allow("store.*", "home/*", when=lambda actor, acc: acc.resource == f"home/{actor.id}")
    scope = Scope("s", [own])
    assert scope.allows(BOB, Access("store.set", "home/bob"))
    assert not scope.allows(BOB, Access("store.set", "home/ada"))


def test_policy_generic_action_names_module_and_command() -> None:
    assert generic_action(Get) == "store.get"

    class TranslateText:
        ID = 65123

    assert generic_action(TranslateText) == "custom.translate_text"
