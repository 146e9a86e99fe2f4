"""Pattern matching: the ``*`` / ``**`` / ``(a|b)`` table and malformed patterns."""

from __future__ import annotations

import re

import pytest

from actorkit.modules.event.patterns import PatternSyntaxError, compile_pattern, is_name

TABLE = [
    ("process", "process", True),
    ("process", "processes", False),
    ("process", "process.x", False),
    ("a.b", "a.b", True),
    ("a.b", "a.bb", False),
    ("*", "a", True),
    ("*", "a.b", False),
    ("a.*", "a.b", True),
    ("a.*", "a", False),
    ("a.*", "a.b.c", False),
    ("*.*", "a.b", True),
    ("*.*", "a", False),
    ("*.b", "a.b", True),
    ("*.b", "a.c", False),
    ("**", "a", True),
    ("**", "a.b.c", True),
    ("a.**", "a", True),
    ("a.**", "a.b", True),
    ("a.**", "a.b.c", True),
    ("a.**", "b.a", False),
    ("a.**", "ab", False),
    ("**.c", "c", True),
    ("**.c", "a.b.c", True),
    ("**.c", "a.b.cd", False),
    ("a.**.c", "a.c", True),
    ("a.**.c", "a.b.c", True),
    ("a.**.c", "a.b.b.c", True),
    ("a.**.c", "a.b", False),
    ("a.**.c", "b.a.c", False),
    ("*.b.**", "a.b", True),
    ("*.b.**", "a.b.c.d", True),
    ("*.b.**", "b", False),
    ("**.*", "a", True),
    ("*.**.*", "a", False),
    ("*.**.*", "a.b", True),
    ("*.**.*", "a.b.c.d", True),
    ("(a|b).x", "a.x", True),
    ("(a|b).x", "b.x", True),
    ("(a|b).x", "c.x", False),
    ("(a|b).x", "ab.x", False),
    ("a.(b|c).*", "a.c.d", True),
    ("member.(joined|left)", "member.left", True),
    ("a+b", "a+b", True),
    ("a+b.*", "aab.x", False),
    ("[a].*", "[a].x", True),
]


@pytest.mark.parametrize(("pattern", "name", "expected"), TABLE)
def test_pattern_matches(pattern: str, name: str, expected: bool) -> None:
    assert compile_pattern(pattern)(name) is expected


MALFORMED = [
    ("", "segment 1 is empty"),
    ("a..b", "segment 2 is empty"),
    (".a", "segment 1 is empty"),
    ("a.", "segment 2 is empty"),
    ("***", "whole segments"),
    ("a**b", "whole segments"),
    ("a*", "whole segments"),
    ("*a.b", "whole segments"),
    ("**.**", "'**' follows '**'"),
    ("a.**.**", "'**' follows '**'"),
    ("(a|)", "alternation"),
    ("()", "alternation"),
    ("(a|(b))", "alternation"),
    ("(a|*)", "whole segments"),
    ("(a", "only in '(a|b)'"),
    ("a|b", "only in '(a|b)'"),
    (5, "a pattern is a str"),
    (None, "a pattern is a str"),
]


@pytest.mark.parametrize(("pattern", "reason"), MALFORMED)
def test_malformed_patterns_are_rejected(pattern: object, reason: str) -> None:
    with pytest.raises(PatternSyntaxError, match=re.escape(reason)):
        compile_pattern(pattern)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a", True),
        ("a.b", True),
        ("member.joined", True),
        ("", False),
        ("a..b", False),
        ("a.", False),
        ("a.*", False),
        ("(a|b)", False),
        (3, False),
    ],
)
def test_event_names(name: object, expected: bool) -> None:
    assert is_name(name) is expected
