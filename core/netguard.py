"""Outbound addresses GPU may call (integration endpoints): never this machine, the
private network, link-local or cloud metadata addresses (SSRF), unless the host is in
GPU_ENDPOINT_ALLOWED_HOSTS (tests, local simulators, the embedded demo)."""

import ipaddress
import socket
from urllib.parse import urlparse

from django.conf import settings

BLOCKED_NAMES = {
    "localhost",
    "metadata",
    "metadata.google.internal",
    "instance-data",
    "metadata.azure.internal",
}
BLOCKED_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa")


def host_allowed_by_setting(host: str) -> bool:
    return host.lower().strip("[]") in {
        h.lower().strip("[]") for h in settings.GPU_ENDPOINT_ALLOWED_HOSTS
    }


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def internal_address_reason(host: str) -> str | None:
    """Why `host` is not a public destination, or None when it is (or is allowed).
    A name is resolved now; one that does not resolve is left to the delivery, which
    fails on it (and must check the address it connects to again)."""
    host = (host or "").lower().strip("[]").rstrip(".")
    if not host or host_allowed_by_setting(host):
        return None
    if host in BLOCKED_NAMES or host.endswith(BLOCKED_SUFFIXES):
        return "endereço interno"
    try:
        return "endereço interno" if _is_internal(host) else None
    except ValueError:
        pass  # a name, not an address literal
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return None
    if any(_is_internal(info[4][0]) for info in infos):
        return "o nome aponta para um endereço interno"
    return None


def url_host(url: str) -> str:
    try:
        return urlparse(url).hostname or ""
    except ValueError:
        return ""


def connected_peer_refused(host: str, peer_address: str) -> bool:
    """At connect time: the address actually reached is internal and `host` is not
    allowed — a name that pointed outside when the endpoint was saved may point inside
    now (DNS rebinding), so the check is made again on every delivery."""
    if host_allowed_by_setting((host or "").lower().rstrip(".")):
        return False
    try:
        return _is_internal(peer_address)
    except ValueError:
        return True
