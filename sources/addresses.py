"""The address guard: which IP addresses a feed fetch may connect to.

Feed URLs come from config files and, through redirects, from remote servers. Without a guard
a redirect to http://169.254.169.254/ or http://127.0.0.1:8080/admin would let any feed read
cloud metadata or internal services. The guard looks at the *resolved* addresses (so decimal,
octal or hex host spellings such as ``0x7f.1`` are caught too) and unwraps IPv6 forms that
embed an IPv4 address (mapped, compatible, 6to4, Teredo, NAT64).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from sources.records import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# host, port -> addresses as strings; injectable so tests can fake DNS answers.
Resolver = Callable[[str, int], list[str]]
# host, address -> may we connect? Injectable so tests can admit their loopback server only.
AddressPolicy = Callable[[str, IPAddress], bool]

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_SHARED_V4 = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (A and AAAA), in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("dns", f"cannot resolve host {host!r}") from exc
    seen: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]  # drop an IPv6 scope id
        if address not in seen:
            seen.append(address)
    if not seen:
        raise FetchError("dns", f"no address for host {host!r}")
    return seen


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries inside it, if it is of such a form."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]  # the client address; the server part is public anyway
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _IPV4_COMPATIBLE and int(address) > 1:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses a fetch may connect to."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            if address.ipv4_mapped is not None or address in _IPV4_COMPATIBLE:
                return is_public_address(inner)  # the socket really talks IPv4 to `inner`
            if not is_public_address(inner):
                return False
        if address in _NAT64_LOCAL:
            return False
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED_V4:
        return False
    return address.is_global


def public_only(host: str, address: IPAddress) -> bool:
    """The default policy: globally routable addresses only, whatever the host name."""
    return is_public_address(address)


def any_address(host: str, address: IPAddress) -> bool:
    """The policy when allow_private_addresses is set (tests, intranet feeds)."""
    return True


def vetted_addresses(
    host: str,
    port: int,
    *,
    policy: AddressPolicy = public_only,
    resolver: Resolver = system_resolver,
) -> list[str]:
    """Resolve host and return the addresses to connect to, or raise FetchError.

    Refuses when ANY answer is non-public: a DNS name that mixes a public and a private
    address must not get a second chance on the private one.
    """
    try:
        literal: IPAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    answers = [str(literal)] if literal is not None else resolver(host, port)
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer)
        except ValueError as exc:
            raise FetchError("dns", f"resolver gave a non-address for {host!r}") from exc
        if not policy(host, address):
            raise FetchError(
                "blocked_address", f"host {host!r} resolves to non-public address {address}"
            )
    return answers
