"""SSRF guard for push endpoints. No real DNS: every test injects a resolver stub."""

from __future__ import annotations

import socket

import pytest

from backend.push.guard import DEFAULT_PUSH_SERVICES, EndpointRefused, check_endpoint, host_matches


class Resolver:
    """A getaddrinfo stand-in: host -> addresses; unknown hosts fail like NXDOMAIN."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.calls: list[str] = []

    def __call__(self, host, port, *args, **kwargs):
        self.calls.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        out = []
        for addr in self.table[host]:
            if ":" in addr:
                out.append((socket.AF_INET6, socket.SOCK_STREAM, 6, "", (addr, port, 0, 0)))
            else:
                out.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, port)))
        return out


def no_dns(*args, **kwargs):
    raise AssertionError("the guard must not resolve this host")


RESOLVE = Resolver(
    {
        "push.example.net": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        "internal.example.net": ["10.0.0.5"],
        "loop.example.net": ["127.0.0.1"],
        "metadata.example.net": ["169.254.169.254"],
        "mapped.example.net": ["::ffff:10.1.2.3"],
        "mapped-loop.example.net": ["::ffff:127.0.0.1"],
        "cgnat.example.net": ["100.64.12.1"],
        "ula.example.net": ["fd12:3456::1"],
        "linklocal6.example.net": ["fe80::1%eth0"],
        "mixed.example.net": ["93.184.215.14", "192.168.1.10"],
        "multicast.example.net": ["239.1.2.3"],
        "zero.example.net": ["0.0.0.0"],
        "nat64.example.net": ["64:ff9b::a00:1"],
        "sixtofour.example.net": ["2002:c0a8:101::1"],
        "push.apple.com": ["17.0.0.1"],
    }
)


def refused(url: str, **kwargs) -> str:
    kwargs.setdefault("allow_local", False)
    kwargs.setdefault("resolve", RESOLVE)
    with pytest.raises(EndpointRefused) as info:
        check_endpoint(url, **kwargs)
    assert isinstance(info.value, ValueError)
    assert info.value.reason
    return info.value.reason


def test_public_https_host_accepted():
    check_endpoint("https://push.example.net/wpush/v2/abc", allow_local=False, resolve=RESOLVE)
    check_endpoint("https://93.184.215.14/push/abc", allow_local=False, resolve=no_dns)


@pytest.mark.parametrize(
    "host",
    [
        "internal.example.net",
        "loop.example.net",
        "metadata.example.net",
        "mapped.example.net",
        "mapped-loop.example.net",
        "cgnat.example.net",
        "ula.example.net",
        "linklocal6.example.net",
        "mixed.example.net",
        "multicast.example.net",
        "zero.example.net",
        "nat64.example.net",
        "sixtofour.example.net",
    ],
)
def test_hosts_resolving_to_non_public_addresses_refused(host):
    assert "non-public" in refused(f"https://{host}/push/x")


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/push",
        "https://[::1]/push",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/push",
        "https://[::ffff:192.168.0.1]/push",
        "https://[::ffff:7f00:1]/push",
        "https://100.100.100.200/push",
        "https://[fe80::1]/push",
        "https://0.0.0.0/push",
        "https://localhost/push",
    ],
)
def test_non_public_literals_refused_without_dns(url):
    refused(url, resolve=no_dns)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://push.example.net/push/x", "https"),
        ("ftp://push.example.net/push/x", "https"),
        ("file:///etc/passwd", "https"),
        ("javascript:alert(1)", "https"),
        ("https://user:pw@push.example.net/push/x", "user name"),
        ("https://@push.example.net/push/x", "user name"),
        ("https://push.example.net/push/x#frag", "fragment"),
        ("https:///push/x", "no host"),
        ("https://push.example.net/push x", "spaces"),
        ("https://push.example.net:99999/push", "valid URL"),
        ("https://unknown.example.net/push", "does not resolve"),
        ("", "empty"),
        ("https://push.example.net/" + "a" * 3000, "longer"),
    ],
)
def test_malformed_or_unsafe_urls_refused(url, reason):
    assert reason in refused(url)


def test_http_refused_in_production_even_to_loopback():
    refused("http://127.0.0.1:8080/push/x")
    refused("http://localhost:8080/push/x")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/push/x",
        "https://127.0.0.1:8443/push/x",
        "http://127.8.9.10/push/x",
        "http://[::1]:8080/push/x",
        "http://localhost:8080/push/x",
        "http://loop.example.net:8080/push/x",  # a dev name resolving only to loopback
    ],
)
def test_loopback_accepted_only_with_allow_local(url):
    check_endpoint(url, allow_local=True, resolve=RESOLVE)
    refused(url, allow_local=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/push/x",
        "https://internal.example.net/push/x",
        "https://metadata.example.net/latest",
        "https://[::ffff:10.1.2.3]/push",
        "http://push.example.net/push/x",  # public, but http only goes to loopback
        "https://mixed.example.net/push/x",
    ],
)
def test_allow_local_does_not_open_other_private_addresses(url):
    refused(url, allow_local=True)


def test_allowlist_exact_and_wildcard_skip_dns():
    allow = ("*.push.apple.com", "fcm.googleapis.com")
    check_endpoint("https://web.push.apple.com/QGuQ/abc", allow_local=False, allowlist=allow, resolve=no_dns)
    check_endpoint(
        "https://fcm.googleapis.com/fcm/send/x", allow_local=False, allowlist=allow, resolve=no_dns
    )
    check_endpoint(
        "https://FCM.googleapis.com./fcm/send/x", allow_local=False, allowlist=allow, resolve=no_dns
    )


def test_allowlist_does_not_match_lookalikes():
    allow = ("*.push.apple.com", "fcm.googleapis.com")
    assert host_matches("web.push.apple.com", allow)
    assert not host_matches("push.apple.com.evil.net", allow)
    assert not host_matches("evilpush.apple.com", allow)
    assert not host_matches("xfcm.googleapis.com", allow)
    assert not host_matches("push.apple.com", allow)  # the apex is not a subdomain
    # not allowlisted -> falls back to resolution (push.apple.com resolves publicly in the stub)
    check_endpoint("https://push.apple.com/x", allow_local=False, allowlist=allow, resolve=RESOLVE)
    refused("https://push.apple.com.internal.example.net/x", allowlist=allow)


def test_allowlist_still_requires_https():
    refused("http://fcm.googleapis.com/fcm/send/x", allowlist=DEFAULT_PUSH_SERVICES, resolve=no_dns)


def test_default_push_services_cover_the_browsers():
    for url in (
        "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91b",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ):
        check_endpoint(url, allow_local=False, allowlist=DEFAULT_PUSH_SERVICES, resolve=no_dns)
    # Chrome's marker for revoked subscriptions never resolves
    refused("https://permanently-removed.invalid/fcm/send/x", allowlist=DEFAULT_PUSH_SERVICES)
