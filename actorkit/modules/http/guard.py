"""Which addresses a node may connect to, checked after DNS resolution.

A URL's host is resolved here, every address it resolves to is checked against the node's
:class:`AddressPolicy`, and only an allowed address is connected to, by number: the name is
never resolved a second time, so a name that resolves to a public address for the check and
to ``127.0.0.1`` for the connection (DNS rebinding) cannot get through. The http module
checks every connection its pool opens this way (redirects included); the websocket module
uses the same function.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import attrs
import trio

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

LOOPBACK = ("127.0.0.0/8", "::1/128")
"""The loopback networks, for ``allow_networks=http.LOOPBACK`` (tests, local services)."""


def networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """``values`` (CIDR strings such as ``"10.1.0.0/16"`` or single addresses) as networks.

    Raises:
        ValueError: one is not an IP network.
    """
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


@attrs.frozen
class AddressPolicy:
    """Which resolved addresses may be connected to.

    Public (globally routable, non-multicast) addresses always are. ``allow_private``
    allows every other unicast address too (loopback, private, link-local, shared,
    reserved); ``allow_networks`` allows the addresses in those networks only.
    """

    allow_private: bool = False
    allow_networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def of(cls, allow_private: bool, allow_networks: Iterable[str]) -> AddressPolicy:
        """The policy for a module's options.

        Raises:
            ValueError: an entry of ``allow_networks`` is not an IP network.
        """
        return cls(allow_private, networks(allow_networks))

    def refuses(self, address: IPAddress) -> str | None:
        """Why ``address`` is refused (``"a loopback address"``), or None if it is allowed."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in net for net in self.allow_networks):
            return None
        if address.is_multicast:
            return "a multicast address"
        if address.is_global or self.allow_private:
            return None
        return _kind(address)


def _kind(address: IPAddress) -> str:
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "the unspecified address"
    if address.is_private:
        return "a private address"
    return "a non-public address"


class RefusedAddress(Exception):
    """Every address ``host`` resolved to is refused by the policy."""

    def __init__(self, host: str, refused: list[tuple[str, str]]) -> None:
        shown = ", ".join(f"{addr} ({why})" for addr, why in refused)
        super().__init__(
            f"{host} resolves to {shown}, which the node does not allow; allow it with "
            "allow_networks=[...] or allow_private=True in the module's options"
        )
        self.host = host
        self.refused = refused


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to for a TCP connection, in the resolver's order,
    without repeats. A checkpoint.

    Raises:
        OSError: the name does not resolve (``socket.gaierror``).
    """
    infos = await trio.socket.getaddrinfo(host, port, type=trio.socket.SOCK_STREAM)
    found: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def allowed(host: str, addresses: list[str], policy: AddressPolicy) -> list[str]:
    """The addresses the policy allows, in order.

    Raises:
        RefusedAddress: it allows none of them.
    """
    ok: list[str] = []
    refused: list[tuple[str, str]] = []
    for address in addresses:
        why = policy.refuses(ipaddress.ip_address(address))
        if why is None:
            ok.append(address)
        else:
            refused.append((address, why))
    if not ok:
        raise RefusedAddress(host, refused)
    return ok


async def open_guarded_tcp_stream(host: str, port: int, policy: AddressPolicy) -> trio.SocketStream:
    """A TCP connection to ``host``, made only to an address the policy allows. A checkpoint.

    The addresses are tried in the resolver's order until one connects.

    Raises:
        RefusedAddress: the host resolves only to refused addresses.
        OSError: the name does not resolve, or no allowed address accepted the connection.
    """
    addresses = allowed(host, await resolve(host, port), policy)
    errors: list[OSError] = []
    for address in addresses:
        try:
            return await trio.open_tcp_stream(address, port)
        except OSError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    tried = "; ".join(f"{a}: {e}" for a, e in zip(addresses, errors, strict=True))
    raise OSError(f"could not connect to {host} port {port} ({tried})")
