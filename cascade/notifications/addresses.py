"""Where webhooks may go: http(s) URLs only, and never to this app's own host, loopback,
link-local, multicast or unspecified addresses, unless WEBHOOK_ALLOWED_HOSTS lists the
host (a name, an address or a network). Checked when an admin registers a URL and again,
on the resolved addresses, before every delivery, which then connects to the address
that was checked (a name that changes its answer cannot slip past)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app

from cascade.notifications.links import base_url


class Refused(ValueError):
    """A URL webhooks may not go to, with the reason an admin reads."""


def allowed_list() -> list[str]:
    value = current_app.config.get("WEBHOOK_ALLOWED_HOSTS") or []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    return [str(part).strip().lower() for part in value if str(part).strip()]


def _listed(host: str, ip: ipaddress._BaseAddress | None, allowed: list[str]) -> bool:
    for entry in allowed:
        if entry == host:
            return True
        if ip is not None:
            try:
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                continue
    return False


def _forbidden(ip: ipaddress._BaseAddress) -> bool:
    return (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified
            or ip.is_reserved or (ip.version == 6 and ip.ipv4_mapped is not None
                                  and _forbidden(ip.ipv4_mapped)))


def own_hosts(extra: str | None = None) -> set[str]:
    hosts = {(urlsplit(base_url()).hostname or "").lower()}
    if extra:
        hosts.add(extra.split(":")[0].lower())
    return hosts - {""}


def check(url: str, *, request_host: str | None = None, resolve: bool = True) -> list[tuple]:
    """The (ip, port) pairs a delivery to `url` may connect to; raises `Refused`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https"):
        raise Refused("Only http and https URLs can receive webhooks.")
    host = (parts.hostname or "").lower()
    if not host:
        raise Refused("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused("The URL's port is not a number from 1 to 65535.") from error
    allowed = allowed_list()
    if host in own_hosts(request_host) and not _listed(host, None, allowed):
        raise Refused("Webhooks cannot be sent to this Cascade itself.")
    if not resolve:
        return []
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError) as error:
        raise Refused(f"The host {host} cannot be found.") from error
    targets = []
    for address in sorted(found):
        ip = ipaddress.ip_address(address.split("%")[0])
        if _forbidden(ip) and not _listed(host, ip, allowed):
            raise Refused(f"{host} is a loopback, link-local or otherwise private address "
                          f"({ip}); webhooks do not go there.")
        targets.append((str(ip), port))
    return targets
