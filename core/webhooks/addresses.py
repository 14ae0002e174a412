"""The SSRF guard: which addresses a webhook may reach.

Checked when a URL is saved (a clear 422) and again on every send against the addresses the
host resolves to at that moment, so a DNS record changed after saving (rebinding) cannot
point deliveries at the internal network."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Saving a URL must not hang on a slow resolver; the send-time check still applies.
RESOLVE_TIMEOUT_SECONDS = 3.0


class AddressPolicy:
    def __init__(self, *, allow_private: bool, allowed_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowed_networks: tuple[IpNetwork, ...] = tuple(
            ipaddress.ip_network(cidr, strict=False) for cidr in allowed_networks
        )

    def allows(self, address: str | IpAddress) -> bool:
        if self.allow_private:
            return True
        try:
            ip = ipaddress.ip_address(address) if isinstance(address, str) else address
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in network for network in self.allowed_networks):
            return True
        # `is_global` also excludes shared (CGNAT), documentation and benchmark ranges.
        return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)

    def refusal(self, url: str, addresses: Iterable[str]) -> str | None:
        """Why ``url`` may not be called when its host has ``addresses``; None if it may."""
        for address in addresses:
            if not self.allows(address):
                host = urlsplit(url).hostname or url
                return (
                    f"{host} resolves to {address}, a private, loopback, link-local or "
                    "reserved address; webhooks may only call public addresses."
                )
        return None

    async def check_url(self, url: str) -> str | None:
        """The save-time check: None when allowed, else a message. A host that does not
        resolve (yet) is accepted: sending re-checks whatever it resolves to then."""
        if self.allow_private:
            return None
        host = urlsplit(url).hostname
        if not host:
            return "The URL has no host."
        literal = ip_literal(host)
        if literal is not None:
            return self.refusal(url, [str(literal)])
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM),
                RESOLVE_TIMEOUT_SECONDS,
            )
        except (OSError, TimeoutError, UnicodeError):
            return None
        return self.refusal(url, [str(info[4][0]) for info in infos])


def ip_literal(host: str) -> IpAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
