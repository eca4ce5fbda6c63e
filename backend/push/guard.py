"""SSRF guard for user-supplied push endpoints.

A push subscription's ``endpoint`` comes from the client, and the server later POSTs to it. Without a
check, anyone could make our server send requests into its own network (metadata services, admin
ports, databases on loopback). :func:`check_endpoint` accepts an endpoint only when:

* it is ``https``, has a host and no userinfo/fragment, and
* the host matches the allowlist of push services (exact host or ``*.suffix``), or every address it
  resolves to is public (no loopback, private, link-local, multicast, reserved, unspecified, CGNAT,
  documentation, benchmarking ranges, nor IPv6 forms embedding such IPv4 addresses).

With ``allow_local=True`` (development and tests) ``http``/``https`` to loopback (127.0.0.0/8, ::1,
``localhost``) is accepted as well; nothing else private is.

Call it when a subscription is registered. Resolution happens again at connect time, so this check
alone does not stop DNS rebinding; push services are public hosts, so the risk is a request to an
internal host carrying an encrypted, meaningless body.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Hosts of the browser vendors' push services (Chrome/Edge-on-Chromium/Opera/Samsung use FCM; Firefox
#: uses Mozilla autopush; Safari uses Apple's web push service; legacy Edge uses WNS).
DEFAULT_PUSH_SERVICES: tuple[str, ...] = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

MAX_ENDPOINT_LENGTH = 2048

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_LOCALHOST_NAMES = ("localhost", "localhost.localdomain")


class EndpointRefused(ValueError):
    """The endpoint is not an acceptable push endpoint; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_public_address(addr: IPAddress) -> bool:
    """True when ``addr`` is a globally routable unicast address.

    IPv4-mapped (``::ffff:a.b.c.d``) and NAT64 (``64:ff9b::a.b.c.d``) addresses are judged by the IPv4
    address they carry; 6to4 addresses must be public themselves and carry a public IPv4 address.
    Teredo, IPv4-compatible, site-local, scoped and unique-local IPv6 addresses are refused.
    """
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return is_public_address(addr.ipv4_mapped)
        if addr in _NAT64:
            return is_public_address(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
        if addr.scope_id or addr.is_site_local or addr.teredo is not None:
            return False
        if addr.sixtofour is not None and not is_public_address(addr.sixtofour):
            return False
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    ):
        return False
    if isinstance(addr, ipaddress.IPv4Address) and addr in _CGNAT:
        return False
    return addr.is_global


def is_loopback_address(addr: IPAddress) -> bool:
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback


def host_matches(host: str, patterns: Sequence[str]) -> bool:
    """Exact host match, or ``*.suffix`` matching any subdomain of ``suffix`` (not ``suffix`` itself)."""
    host = host.lower().rstrip(".")
    for raw in patterns:
        pattern = raw.strip().lower().rstrip(".")
        if not pattern:
            continue
        if pattern.startswith("*."):
            suffix = pattern[1:]  # ".push.apple.com"
            if host.endswith(suffix) and len(host) > len(suffix):
                return True
        elif host == pattern:
            return True
    return False


def _parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_endpoint(
    url: str,
    *,
    allow_local: bool,
    allowlist: Sequence[str] = (),
    resolve: Callable[..., list] = socket.getaddrinfo,
) -> None:
    """Raise :class:`EndpointRefused` unless ``url`` is an acceptable push endpoint (see module doc).

    ``allowlist`` holds push service hosts trusted without resolving them (e.g.
    :data:`DEFAULT_PUSH_SERVICES`). ``resolve`` has ``socket.getaddrinfo``'s signature; tests inject a
    stub so no real DNS is used.
    """
    if not isinstance(url, str) or not url:
        raise EndpointRefused("the endpoint is empty")
    if len(url) > MAX_ENDPOINT_LENGTH:
        raise EndpointRefused(f"the endpoint is longer than {MAX_ENDPOINT_LENGTH} characters")
    if any(ch.isspace() or ord(ch) < 0x21 or ord(ch) == 0x7F for ch in url) or not url.isascii():
        raise EndpointRefused("the endpoint contains spaces, control or non-ASCII characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EndpointRefused("the endpoint is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise EndpointRefused("the endpoint must be an https:// URL")
    if "@" in parts.netloc:
        raise EndpointRefused("the endpoint must not contain a user name or password")
    if parts.fragment or url.endswith("#"):
        raise EndpointRefused("the endpoint must not contain a fragment")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise EndpointRefused("the endpoint has no host")
    if port == 0:
        raise EndpointRefused("the endpoint has an invalid port")

    is_localhost_name = host in _LOCALHOST_NAMES or host.endswith(".localhost")
    literal = _parse_ip(host)
    if scheme == "http" and not allow_local:
        raise EndpointRefused("the endpoint must use https")

    if literal is not None:
        if allow_local and is_loopback_address(literal):
            return
        if scheme == "http":
            raise EndpointRefused("plain http is only allowed to loopback addresses")
        if is_public_address(literal):
            return
        raise EndpointRefused(f"the endpoint points at a non-public address ({literal})")

    if is_localhost_name:
        if allow_local:
            return
        raise EndpointRefused("the endpoint points at this machine (localhost)")

    if scheme == "https" and host_matches(host, allowlist):
        return

    try:
        infos = resolve(host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise EndpointRefused(f"the endpoint's host {host!r} does not resolve ({exc})") from None
    addresses: list[IPAddress] = []
    for info in infos:
        addr = _parse_ip(str(info[4][0]).split("%", 1)[0])
        if addr is None:
            raise EndpointRefused(f"the endpoint's host {host!r} resolved to an unusable address")
        addresses.append(addr)
    if not addresses:
        raise EndpointRefused(f"the endpoint's host {host!r} does not resolve")
    if allow_local and all(is_loopback_address(a) for a in addresses):
        return  # a development name for this machine; http allowed like for 127.0.0.1
    if scheme == "http":
        raise EndpointRefused("plain http is only allowed to loopback addresses")
    for addr in addresses:
        if not is_public_address(addr):
            raise EndpointRefused(f"the endpoint's host {host!r} resolves to a non-public address ({addr})")
