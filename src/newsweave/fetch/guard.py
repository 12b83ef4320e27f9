"""Which URLs may be fetched: http and https only, and only public addresses unless told otherwise.

A URL's host is resolved here and every address it resolves to is checked (a name with one private
address among public ones is refused): loopback, private (RFC 1918, unique local), link-local (the cloud
metadata address 169.254.169.254 among them), carrier-grade NAT, multicast, reserved and unspecified
addresses are refused unless ``allow_private`` is set or the address lies in ``allowed_networks``. The
fetcher then connects to the address checked here, not to a second resolution of the name, so a DNS
answer that changes between the check and the connection (DNS rebinding) cannot slip past. The check runs
again for every redirect.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from newsweave.errors import NewsweaveError
from newsweave.fetch.options import FetchOptions

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]
SCHEMES = ("http", "https")


class FetchError(NewsweaveError):
    """A URL that could not be fetched or read, with the reason.

    ``transient``: the failure may pass (time-out, connection, server error), so what was being fetched is
    tried again on the next poll; otherwise (refused, too big, wrong type, 4xx) it is recorded and left.
    """

    def __init__(self, reason: str, url: str = "", transient: bool = False) -> None:
        self.reason = reason
        self.url = url
        self.transient = transient
        super().__init__(f"{url}: {reason}" if url else reason)


class FetchRefused(FetchError):
    """A URL refused before any byte was sent: bad scheme, non-public address, robots.txt."""


@dataclass(frozen=True)
class Target:
    """A URL checked for fetching: its parts and the address to connect to."""

    url: str
    scheme: str
    host: str
    port: int
    address: str


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_kind(ip: IPAddress) -> str | None:
    """Why an address is not public ("loopback", "private", ...), or None for a public address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return address_kind(ip.ipv4_mapped)
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private:
        return "private"
    if ip.is_reserved or not ip.is_global:
        return "reserved"
    return None


def check_url(
    url: str, options: FetchOptions, resolver: Resolver = system_resolver, what: str = "URL"
) -> Target:
    """The :class:`Target` to connect to for ``url``; FetchRefused with the reason when it may not be fetched."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:
        raise FetchRefused(f"malformed {what}: {e}", url) from e
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        shown = f"scheme {scheme}:" if scheme else "no scheme"
        raise FetchRefused(f"{what} has {shown}; only http and https URLs are fetched", url)
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise FetchRefused(f"{what} has no host", url)
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(f"{what} carries a user name or password; refused", url)
    port = port or (443 if scheme == "https" else 80)
    addresses = _addresses(host, port, resolver, url)
    for address in addresses:
        _check_address(host, address, options, url)
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


def _addresses(host: str, port: int, resolver: Resolver, url: str) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        found = resolver(host, port)
    except (OSError, UnicodeError) as e:
        raise FetchError(f"cannot resolve host {host}: {e}", url, transient=True) from e
    if not found:
        raise FetchError(f"host {host} resolves to no address", url)
    return found


def _check_address(host: str, address: str, options: FetchOptions, url: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    kind = address_kind(ip)
    if kind is None or options.allow_private:
        return
    if any(ip in ipaddress.ip_network(net, strict=False) for net in options.allowed_networks):
        return
    who = f"{host} ({ip})" if host != str(ip) else host
    raise FetchRefused(f"{who} is a {kind} address; refused (--allow-private fetches such addresses)", url)
