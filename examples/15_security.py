"""Security: hand out a token, run a process as its actor and scope, see what is refused."""

import actorkit
from actorkit.modules import security, store
from actorkit.modules.security import PermissionDenied, TokenError

READER = security.Scope("reader", [security.allow("store.get", "reports")])
SECRET = "example secret: use 32 random bytes from a vault"

MODULES = [
    store.memory("reports"),
    store.memory("tokens"),
    security.module(scopes=[READER], keys={"app": security.hs256(SECRET)}),
]


async def reporter(proc: actorkit.Process, token: str) -> str:
    """What a gateway route does: map the token to an identity, then act under it."""
    ident = await security.identity_for_token(proc.node, token)
    security.adopt(proc, ident)
    report = await proc.call(store.Get("reports", "q3"))
    try:
        await proc.call(store.Set("reports", "q3", "defaced"))
    except PermissionDenied as exc:
        return f"{ident.actor.id} read {report!r}; {exc.action} on {exc.resource!r} refused"
    return "the write went through"


async def main(proc: actorkit.Process) -> str:
    await proc.call(store.Set("reports", "q3", "up 5%"))
    token = await proc.call(security.CreateToken("ada", ("reader",), key="app", ttl=60))
    seen = await proc.exec(reporter, token)
    await proc.call(security.RevokeToken(token))
    try:
        await proc.call(security.ValidateToken(token))
    except TokenError as exc:
        return f"{seen}; after revoking, the token is {exc.reason}"
    return f"{seen}; the revoked token still works"


if __name__ == "__main__":
    print(actorkit.run(main, modules=MODULES))
