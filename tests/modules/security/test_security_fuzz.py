"""Malformed tokens, fuzzed: every one is refused with a TokenError; none crash the node."""

from __future__ import annotations

import base64

import trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actorkit.modules import security as sec
from actorkit.testing import open_test_node

from ._kit import modules

_SEGMENT = st.binary(max_size=40).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="))
_JWTISH = st.lists(_SEGMENT, min_size=1, max_size=4).map(".".join)
_OPAQUEISH = st.text(alphabet="0123456789abcdefABC_-", max_size=80).map(lambda t: "ak_" + t)
REASONS = {"malformed", "unknown", "bad_signature", "wrong_algorithm", "unknown_key"}
TOKENS = st.lists(st.one_of(st.text(max_size=60), _JWTISH, _OPAQUEISH), min_size=1, max_size=15)


async def _validate_all(tokens: list[str]) -> None:
    keys = {"hs": sec.hs256("an hmac secret long enough for HS256 ok")}
    async with open_test_node(modules=modules(keys=keys)) as node, node.process() as proc:
        for token in tokens:
            try:
                await proc.call(sec.ValidateToken(token))
            except sec.TokenError as exc:
                assert exc.reason in REASONS
                assert token not in str(exc) or len(token) < 4
            else:
                raise AssertionError(f"accepted {token!r}")
        ok = await proc.call(sec.CreateToken("ada", key="hs"))
        assert (await proc.call(sec.ValidateToken(ok))).actor.id == "ada"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tokens=TOKENS)
def test_fuzz_malformed_tokens_are_refused(tokens: list[str]) -> None:
    trio.run(_validate_all, tokens)
