"""A local Web Push service for tests and benchmarks that behaves like a real one.

It mints browser-style subscriptions, and on ``POST /push/<id>`` it checks what FCM, Mozilla and
Apple check (RFC 8030/8291/8292), decrypts the body with ``http_ece`` and records the payload:

* ``Authorization: vapid t=<JWT>,k=<key>``: ES256 signature valid for ``k``; ``aud`` equals this
  service's origin; ``exp`` in the future and at most 24 h away; ``sub`` is ``mailto:``/``https:``
  (401 when missing or malformed, 403 ``{"reason": "BadJwtToken"}`` when invalid);
* a ``TTL`` header (non-negative integer), valid ``Urgency``/``Topic``, ``Content-Encoding: aes128gcm``
  (400 otherwise); a body of at most 4096 bytes (413 otherwise);
* then it decrypts (400 if that fails) and answers 201 with a ``Location``.

Unknown subscription ids get 404, expired ones 410. Scripted answers: ``respond(...)``, ``hang(...)``,
``throttle(...)`` and ``delay``.

**Per-service profiles**, selected by the endpoint's host like the real services: a subscription made
with ``new_subscription("apple")`` has an endpoint on ``web.push.apple.test``, ``"mozilla"`` on
``updates.push.services.mozilla.test``, ``"fcm"`` on ``fcm.googleapis.test`` (the ``.test`` TLD is
reserved and never resolves, RFC 2606). The sender reaches them with ``resolve=service.resolve_map``
(every one pinned to this loopback service), so no request ever leaves the machine. Each profile
answers as that service documents (see README "What each push service requires"):

* ``apple`` — every VAPID problem (missing, bad signature, ``aud``, ``exp`` over 24 h, a ``sub`` that
  is not a ``mailto:``/``https:`` URL or names localhost) is ``403 {"reason": "BadJwtToken"}``; a bad
  ``Topic``/``Urgency`` 400; over 4,096 bytes ``413 PayloadTooLarge``; unknown 404, expired
  ``410 Unregistered``; throttled ``429 TooManyRequests``.
* ``mozilla`` (autopush) — VAPID problems ``401`` errno 109; a missing ``TTL`` 400 errno 111; over
  4,096 bytes ``413`` errno 104; unknown ``404`` errno 102; expired ``410`` errno 103; throttled
  ``429`` with ``Retry-After``. Bodies are autopush's ``{code, errno, error, message}``.
* ``fcm`` — bad headers 400; VAPID problems (a key other than the subscription's) 403; unknown 404;
  expired 410; over 4,096 bytes 413; throttled 429 with ``Retry-After``.

``verify=False`` is the counting mode for throughput benchmarks: it checks nothing and decrypts
nothing, only counts the POSTs per subscription id (``counts()``) and answers 201 after ``delay``, so
the service spends as little CPU as possible beside the sender it measures. Correctness tests keep the
default verifying mode. Every refused verification is recorded in ``failures`` so a test can assert there were
none. Runs an aiohttp server on 127.0.0.1 in a background thread (HTTP/1.1 keep-alive, hundreds of
concurrent connections), optionally over TLS with a throw-away test CA (``ca_path``).

    with PushService(tls=True) as service:
        sub = service.new_subscription()
        ...  # PushSender(vapid, ca_bundle=service.ca_path).send_many(...)
        assert service.received(sub_id) == [{"title": "..."}]
        assert service.failures == []
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import ipaddress
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import http_ece
from aiohttp import web
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from py_vapid import jwt as vapid_jwt

MAX_BODY = 4096
LOOPBACK = "127.0.0.1"
MAX_EXP_AHEAD = 24 * 3600
_TOPIC_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_URGENCIES = {"very-low", "low", "normal", "high"}
_SUB_RE = re.compile(r"^(mailto:[^@\s]+@[^@\s]+\.[^@\s]+|https://[^\s/]+\.[^\s]+)$", re.IGNORECASE)


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# -------------------------------------------------------------------------------------------------
# Per-service profiles
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """How one real push service words its answers (status codes and bodies)."""

    name: str
    host: str
    #: Status for any VAPID problem (Apple and FCM 403, autopush 401).
    auth_status: int
    #: Apple refuses a ``sub`` that names localhost; the others only need a mailto:/https: URL.
    refuses_localhost_sub: bool

    def body(self, status: int, reason: str, errno: int | None = None) -> str:
        if self.name == "mozilla":
            return json.dumps(
                {
                    "code": status,
                    "errno": errno or 999,
                    "error": _HTTP_REASON.get(status, "Error"),
                    "message": reason,
                }
            )
        if self.name == "apple":
            return json.dumps({"reason": reason})
        return json.dumps({"error": {"code": status, "message": reason}})


_HTTP_REASON = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    413: "Payload Too Large",
    429: "Too Many Requests",
}

PROFILES: dict[str, Profile] = {
    "apple": Profile("apple", "web.push.apple.test", 403, True),
    "mozilla": Profile("mozilla", "updates.push.services.mozilla.test", 401, False),
    "fcm": Profile("fcm", "fcm.googleapis.test", 403, False),
}
_PROFILE_BY_HOST = {p.host: p for p in PROFILES.values()}
#: The answer per profile and situation: (status, reason or Apple's reason name, autopush errno).
_ANSWERS: dict[str, dict[str, tuple[int, str, int | None]]] = {
    "apple": {
        "unknown": (404, "BadDeviceToken", None),
        "expired": (410, "Unregistered", None),
        "too_large": (413, "PayloadTooLarge", None),
        "throttled": (429, "TooManyRequests", None),
        "bad_topic": (400, "BadWebPushTopic", None),
        "bad_urgency": (400, "BadWebPushUrgency", None),
        "bad_ttl": (400, "BadExpirationDate", None),
    },
    "mozilla": {
        "unknown": (404, "Subscription not found", 102),
        "expired": (410, "Subscription expired", 103),
        "too_large": (413, "Body is too large", 104),
        "throttled": (429, "Too many requests", 999),
        "bad_topic": (400, "Topic must be no greater than 32 characters of the URL-safe alphabet", 113),
        "bad_urgency": (400, "Invalid Urgency", 112),
        "bad_ttl": (400, "Missing TTL header", 111),
    },
    "fcm": {
        "unknown": (404, "Requested entity was not found.", None),
        "expired": (410, "push subscription has unsubscribed or expired.", None),
        "too_large": (413, "Payload too large", None),
        "throttled": (429, "Quota exceeded", None),
        "bad_topic": (400, "Invalid Topic header", None),
        "bad_urgency": (400, "Invalid Urgency header", None),
        "bad_ttl": (400, "Invalid TTL header", None),
    },
}


# -------------------------------------------------------------------------------------------------
# Test CA
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TestCertificates:
    directory: str
    ca_path: str
    cert_path: str
    key_path: str


def make_test_certificates(
    directory: str, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
) -> TestCertificates:
    """Write a throw-away CA and a server certificate for ``hosts`` (PEM) into ``directory``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ClearCourse test push CA")])
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ca_ski, critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    alt_names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt_names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt_names.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = TestCertificates(
        directory=directory,
        ca_path=os.path.join(directory, "ca.pem"),
        cert_path=os.path.join(directory, "server.pem"),
        key_path=os.path.join(directory, "server-key.pem"),
    )
    with open(paths.ca_path, "wb") as fh:
        fh.write(ca_cert.public_bytes(serialization.Encoding.PEM))
    with open(paths.cert_path, "wb") as fh:
        fh.write(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(paths.key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return paths


# -------------------------------------------------------------------------------------------------
# Records
# -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    subscription_id: str
    payload: Any
    headers: dict[str, str | None]  # TTL, Urgency, Topic as sent
    received_at: float
    body_size: int  # encrypted body length in bytes


@dataclass(frozen=True)
class Failure:
    subscription_id: str | None
    status: int
    reason: str


@dataclass(frozen=True)
class Answer:
    """One request and what the service answered (scripted answers included)."""

    subscription_id: str | None
    status: int
    at: float


@dataclass
class _Rule:
    status: int
    remaining: int
    subscription_id: str | None
    retry_after: str | None = None
    body: str | None = None
    hang: float = 0.0


@dataclass
class _Subscription:
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    expired: bool = False
    info: dict = field(default_factory=dict)
    profile: str | None = None
    server_key: str | None = None  # applicationServerKey it was made with (b64url), if given


class PushService:
    """Fake push service; see the module docstring. Thread-safe; use as a context manager."""

    def __init__(
        self, *, tls: bool = False, host: str = "127.0.0.1", delay: float = 0.0, verify: bool = True
    ) -> None:
        self.tls = tls
        #: False: counting mode (no checks, no decryption; see the module docstring).
        self.verify = verify
        self._counts: dict[str, int] = {}
        self.host = host
        #: Seconds to wait before answering each POST (benchmarks use 0.05).
        self.delay = delay
        self.port: int | None = None
        self.ca_path: str | None = None
        self._certs: TestCertificates | None = None
        self._tmpdir: str | None = None
        self._lock = threading.Lock()
        self._subscriptions: dict[str, _Subscription] = {}
        self._deliveries: list[Delivery] = []
        self._failures: list[Failure] = []
        self._answers: list[Answer] = []
        self._rules: list[_Rule] = []
        self._throttled_until: dict[str | None, float] = {}  # profile name (None: generic) -> time
        self._in_flight = 0
        #: Highest number of POSTs being handled at the same time.
        self.max_in_flight = 0
        self._tokens: dict[str, dict] = {}  # verified JWT -> claims (real services cache too)
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None

    # -- lifecycle -----------------------------------------------------------------------------------

    @property
    def origin(self) -> str:
        if self.port is None:
            raise RuntimeError("service not started")
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"

    def start(self) -> PushService:
        if self._thread is not None:
            return self
        ssl_context = None
        if self.tls:
            self._tmpdir = tempfile.mkdtemp(prefix="push-service-")
            self._certs = make_test_certificates(
                self._tmpdir, (self.host, "localhost", *(p.host for p in PROFILES.values()))
            )
            self.ca_path = self._certs.ca_path
            ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ssl_context.load_cert_chain(self._certs.cert_path, self._certs.key_path)
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        sock.listen(2048)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                self._stopping = asyncio.Event()
                app = web.Application(client_max_size=1 << 20)
                app.router.add_post("/push/{sid}", self._handle_push if self.verify else self._count_push)
                runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
                loop.run_until_complete(runner.setup())
                site = web.SockSite(runner, sock, ssl_context=ssl_context)
                loop.run_until_complete(site.start())
                self._runner = runner
            except BaseException as exc:  # surface start-up errors to start()
                errors.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name=f"push-service-{self.port}", daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            self._thread = None
            raise RuntimeError("push service failed to start") from errors[0]
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        loop = self._loop

        def _stop() -> None:
            if self._stopping is not None:
                self._stopping.set()
            loop.stop()

        loop.call_soon_threadsafe(_stop)
        self._thread.join(15)
        self._thread = None
        if self._tmpdir:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- subscriptions and scripting -----------------------------------------------------------------

    @property
    def resolve_map(self) -> dict[str, str]:
        """Every profile's host pinned to this (loopback) service: ``PushSender(resolve=...)``."""
        return {p.host: self.host for p in PROFILES.values()}

    def profile_origin(self, profile: str) -> str:
        """The origin (and VAPID ``aud``) of the endpoints of ``profile``."""
        if self.port is None:
            raise RuntimeError("service not started")
        return f"{'https' if self.tls else 'http'}://{PROFILES[profile].host}:{self.port}"

    def new_subscription(
        self, profile: str | None = None, *, application_server_key: str | None = None
    ) -> dict:
        """A browser ``PushSubscription.toJSON()`` for a new subscriber of this service.

        ``profile`` ("apple", "mozilla", "fcm") puts the endpoint on that service's test host, and
        the service then answers as that service does (module docstring). With
        ``application_server_key`` (the VAPID public key, base64url) the subscription is bound to
        it, as browsers bind theirs: a push signed with another key is refused like a bad token.
        """
        origin = self.origin if profile is None else self.profile_origin(profile)
        sid = secrets.token_urlsafe(16)
        key = ec.generate_private_key(ec.SECP256R1())
        auth = secrets.token_bytes(16)
        public = key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        info = {
            "endpoint": f"{origin}/push/{sid}",
            "expirationTime": None,
            "keys": {"p256dh": _b64url(public), "auth": _b64url(auth)},
        }
        with self._lock:
            self._subscriptions[sid] = _Subscription(
                key, auth, info=info, profile=profile, server_key=application_server_key
            )
        return info

    def new_subscriptions(self, count: int, profile: str | None = None) -> list[dict]:
        return [self.new_subscription(profile) for _ in range(count)]

    def throttle(self, seconds: float, *, profile: str | None = None) -> None:
        """For ``seconds`` from now, every POST to ``profile``'s host (None: the plain loopback
        endpoints) answers 429 with ``Retry-After`` set to the whole seconds left."""
        with self._lock:
            self._throttled_until[profile] = time.time() + seconds

    @staticmethod
    def subscription_id(subscription: dict | str) -> str:
        """The id in a subscription dict or endpoint URL."""
        endpoint = subscription["endpoint"] if isinstance(subscription, dict) else subscription
        return endpoint.rsplit("/", 1)[1]

    def expire(self, subscription_id: str) -> None:
        """From now on this subscription answers 410 Gone (like an unsubscribed browser)."""
        with self._lock:
            self._subscriptions[subscription_id].expired = True

    def respond(
        self,
        status: int,
        *,
        retry_after: int | str | None = None,
        times: int = 1,
        subscription_id: str | None = None,
        body: str | None = None,
    ) -> None:
        """Answer the next ``times`` valid POSTs (to ``subscription_id``, or any) with ``status``.

        Rules for a specific subscription win over global ones; rules are used in the order given.
        Requests are still verified first: an invalid request gets its 400/401/403 instead.
        """
        with self._lock:
            self._rules.append(
                _Rule(
                    status,
                    times,
                    subscription_id,
                    None if retry_after is None else str(retry_after),
                    body,
                )
            )

    def hang(self, seconds: float, *, times: int = 1, subscription_id: str | None = None) -> None:
        """Stall the next ``times`` POSTs for ``seconds``, then answer 504 without accepting them."""
        with self._lock:
            self._rules.append(_Rule(504, times, subscription_id, hang=seconds))

    def reset(self) -> None:
        """Forget recorded deliveries, failures, answers and pending rules (keeps subscriptions)."""
        with self._lock:
            self._deliveries.clear()
            self._failures.clear()
            self._answers.clear()
            self._rules.clear()
            self._throttled_until.clear()
            self._counts.clear()
            self.max_in_flight = 0

    # -- inspection ----------------------------------------------------------------------------------

    def received(self, subscription_id: str | None = None) -> list[Any]:
        """Decrypted payloads (decoded JSON) accepted so far, in arrival order."""
        return [d.payload for d in self.deliveries(subscription_id)]

    def deliveries(self, subscription_id: str | None = None) -> list[Delivery]:
        with self._lock:
            return [d for d in self._deliveries if subscription_id in (None, d.subscription_id)]

    def counts(self) -> dict[str, int]:
        """Counting mode: POSTs received per subscription id (each answered 201)."""
        with self._lock:
            return dict(self._counts)

    @property
    def failures(self) -> list[Failure]:
        """Requests refused by verification (bad VAPID, headers, encryption). Should stay empty."""
        with self._lock:
            return list(self._failures)

    def answers(self, subscription_id: str | None = None) -> list[Answer]:
        """Every POST and the status it got, scripted ones included."""
        with self._lock:
            return [a for a in self._answers if subscription_id in (None, a.subscription_id)]

    @property
    def distinct_tokens(self) -> int:
        """How many different VAPID JWTs were seen (shows header caching)."""
        with self._lock:
            return len(self._tokens)

    # -- request handling (runs in the service thread) ---------------------------------------------

    def _answer(self, sid: str | None, status: int, **kwargs: Any) -> web.Response:
        with self._lock:
            self._answers.append(Answer(sid, status, time.time()))
        return web.Response(status=status, **kwargs)

    def _refuse(
        self, sid: str | None, status: int, reason: str, profile: Profile | None = None
    ) -> web.Response:
        with self._lock:
            self._failures.append(Failure(sid, status, reason))
        text = (
            profile.body(status, reason, 109 if status == 401 else None)
            if profile
            else json.dumps({"reason": reason})
        )
        return self._answer(sid, status, text=text, content_type="application/json")

    def _refuse_as(self, sid: str | None, profile: Profile, situation: str) -> web.Response:
        status, reason, _ = _ANSWERS[profile.name][situation]
        with self._lock:
            self._failures.append(Failure(sid, status, reason))
        return self._profile_answer(sid, profile, situation)

    def _take_rule(self, sid: str) -> _Rule | None:
        with self._lock:
            for wanted in (sid, None):
                for rule in self._rules:
                    if rule.subscription_id == wanted and rule.remaining > 0:
                        rule.remaining -= 1
                        if rule.remaining == 0:
                            self._rules.remove(rule)
                        return rule
        return None

    def _verify_vapid(
        self,
        authorization: str | None,
        audience: str,
        profile: Profile | None = None,
        server_key: str | None = None,
    ) -> tuple[int, str] | None:
        problem = self._vapid_problem(authorization, audience, profile)
        if problem is None and server_key is not None:
            sent_key = (authorization or "").rsplit("k=", 1)[-1].split(",", 1)[0].strip().rstrip("=")
            if sent_key != server_key.rstrip("="):
                problem = 403, "BadJwtToken: k is not the key this subscription was made with"
        if problem is None or profile is None:
            return problem
        reason = "BadJwtToken" if profile.name == "apple" else problem[1]
        return profile.auth_status, reason

    def _vapid_problem(
        self, authorization: str | None, audience: str, profile: Profile | None
    ) -> tuple[int, str] | None:
        if not authorization:
            return 401, "MissingAuthorization"
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            return 401, f"UnsupportedAuthorizationScheme: {scheme}"
        parts: dict[str, str] = {}
        for item in params.split(","):
            name, sep, value = item.strip().partition("=")
            if sep:
                parts[name.strip()] = value.strip()
        token, key = parts.get("t"), parts.get("k")
        if not token or not key:
            return 401, "MissingTokenOrKey"
        cache_key = f"{audience} {key} {token}"
        with self._lock:
            claims = self._tokens.get(cache_key)
        if claims is None:
            try:
                if len(_b64url_decode(key)) != 65:
                    return 403, "BadJwtToken: k is not an uncompressed P-256 point"
                claims = vapid_jwt.decode(token, key)
                header = json.loads(_b64url_decode(token.split(".", 1)[0]))
            except (InvalidSignature, ValueError, TypeError):
                return 403, "BadJwtToken: signature does not verify with k"
            if header.get("alg") != "ES256":
                return 403, "BadJwtToken: alg must be ES256"
            if claims.get("aud") != audience:
                return 403, f"BadJwtToken: aud {claims.get('aud')!r} is not {audience!r}"
            sub = claims.get("sub")
            refuse_localhost = profile is None or profile.refuses_localhost_sub
            if (
                not isinstance(sub, str)
                or not _SUB_RE.match(sub)
                or (refuse_localhost and "localhost" in sub.lower())
            ):
                return 403, f"BadJwtToken: sub {sub!r} is not a mailto: or https: contact"
            with self._lock:
                self._tokens[cache_key] = claims
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, int) or exp <= now:
            return 403, "BadJwtToken: expired"
        if exp > now + MAX_EXP_AHEAD:
            return 403, "BadJwtToken: exp more than 24 h ahead"
        return None

    async def _count_push(self, request: web.Request) -> web.Response:
        """Counting mode: read the body, wait ``delay``, count, answer 201. No checks at all."""
        sid = request.match_info["sid"]
        await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self._counts[sid] = self._counts.get(sid, 0) + 1
        return web.Response(status=201)

    async def _handle_push(self, request: web.Request) -> web.Response:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        try:
            return await self._handle_push_inner(request)
        finally:
            with self._lock:
                self._in_flight -= 1

    def _profile_answer(
        self, sid: str | None, profile: Profile, situation: str, **kwargs: Any
    ) -> web.Response:
        status, reason, errno = _ANSWERS[profile.name][situation]
        return self._answer(
            sid, status, text=profile.body(status, reason, errno), content_type="application/json", **kwargs
        )

    def _throttled_for(self, profile: Profile | None) -> int | None:
        """Whole seconds of throttling left for ``profile`` (None when not throttled)."""
        name = profile.name if profile else None
        with self._lock:
            until = self._throttled_until.get(name)
        if until is None or until <= time.time():
            return None
        return max(1, int(until - time.time() + 0.999))

    async def _handle_push_inner(self, request: web.Request) -> web.Response:
        sid = request.match_info["sid"]
        body = await request.read()
        if self.delay:
            await asyncio.sleep(self.delay)
        hostname = request.host.rsplit(":", 1)[0] if not request.host.startswith("[") else request.host
        profile = _PROFILE_BY_HOST.get(hostname.lower())
        audience = f"{'https' if self.tls else 'http'}://{request.host}" if profile else self.origin
        with self._lock:
            subscription = self._subscriptions.get(sid)
        if subscription is None or (subscription.profile != (profile.name if profile else None)):
            if profile:
                return self._profile_answer(sid, profile, "unknown")
            return self._answer(sid, 404, text="no such subscription")
        left = self._throttled_for(profile)
        if left is not None:
            headers = {"Retry-After": str(left)}
            if profile:
                return self._profile_answer(sid, profile, "throttled", headers=headers)
            return self._answer(sid, 429, text="too many requests", headers=headers)

        problem = self._verify_vapid(
            request.headers.get("Authorization"), audience, profile, subscription.server_key
        )
        if problem is not None:
            return self._refuse(sid, *problem, profile=profile)
        ttl = request.headers.get("TTL")
        if ttl is None or not ttl.isdigit():
            if profile:
                return self._refuse_as(sid, profile, "bad_ttl")
            return self._refuse(sid, 400, f"TTL header missing or invalid: {ttl!r}")
        urgency = request.headers.get("Urgency")
        if urgency is not None and urgency not in _URGENCIES:
            if profile:
                return self._refuse_as(sid, profile, "bad_urgency")
            return self._refuse(sid, 400, f"invalid Urgency {urgency!r}")
        topic = request.headers.get("Topic")
        if topic is not None and not _TOPIC_RE.match(topic):
            if profile:
                return self._refuse_as(sid, profile, "bad_topic")
            return self._refuse(sid, 400, f"invalid Topic {topic!r}")
        if request.headers.get("Content-Encoding", "").lower() != "aes128gcm":
            return self._refuse(sid, 400, "Content-Encoding must be aes128gcm")
        if len(body) > MAX_BODY:
            if profile:
                return self._profile_answer(sid, profile, "too_large")
            return self._answer(sid, 413, text=f"payload of {len(body)} bytes exceeds {MAX_BODY}")
        if subscription.expired:
            if profile:
                return self._profile_answer(sid, profile, "expired")
            return self._answer(sid, 410, text="subscription expired")

        rule = self._take_rule(sid)
        if rule is not None:
            if rule.hang:
                assert self._stopping is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), rule.hang)
                return self._answer(sid, rule.status, text="gateway timeout")
            headers = {"Retry-After": rule.retry_after} if rule.retry_after is not None else None
            if not 200 <= rule.status < 300:  # a scripted success still has to decrypt
                return self._answer(sid, rule.status, text=rule.body or "scripted", headers=headers)

        try:
            plaintext = http_ece.decrypt(
                body, private_key=subscription.private_key, auth_secret=subscription.auth, version="aes128gcm"
            )
            payload = json.loads(plaintext)
        except Exception as exc:
            return self._refuse(sid, 400, f"cannot decrypt/decode body: {type(exc).__name__} {exc}")

        delivery = Delivery(
            subscription_id=sid,
            payload=payload,
            headers={"TTL": ttl, "Urgency": urgency, "Topic": topic},
            received_at=time.time(),
            body_size=len(body),
        )
        with self._lock:
            self._deliveries.append(delivery)
        return self._answer(
            sid,
            rule.status if rule is not None else 201,
            headers={"Location": f"{audience}/message/{secrets.token_urlsafe(8)}", "TTL": ttl},
        )


# -------------------------------------------------------------------------------------------------
# The same service in a child process (benchmarks)
# -------------------------------------------------------------------------------------------------


def _serve_in_child(conn: Any, kwargs: dict) -> None:
    service = PushService(**kwargs).start()
    conn.send((service.origin, service.ca_path))
    try:
        while True:
            try:
                name, args, call_kwargs = conn.recv()
            except EOFError:
                break
            if name == "__stop__":
                break
            try:
                result: Any = None
                if name == "__setattr__":
                    setattr(service, *args)
                else:
                    attr = getattr(service, name)
                    result = attr(*args, **call_kwargs) if callable(attr) else attr
                conn.send((True, result))
            except Exception as exc:  # send the error back to the caller
                conn.send((False, exc))
    finally:
        service.stop()
        conn.close()


class PushServiceProcess:
    """:class:`PushService` running in a child process, with the same inspection API.

    A service sharing the sender's process also shares its GIL, and the two threads then slow each
    other down far beyond the real cost of either (every GIL hand-over can wait a switch interval).
    Benchmarks use this class so they measure the sender, not the fake service.
    """

    def __init__(
        self, *, tls: bool = False, host: str = "127.0.0.1", delay: float = 0.0, verify: bool = True
    ) -> None:
        self._kwargs = {"tls": tls, "host": host, "delay": delay, "verify": verify}
        self.verify = verify
        self.tls = tls
        self._delay = delay
        self._process: Any = None
        self._conn: Any = None
        self._lock = threading.Lock()
        self.origin = ""
        self.ca_path: str | None = None

    def start(self) -> PushServiceProcess:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._process = ctx.Process(target=_serve_in_child, args=(child, self._kwargs), daemon=True)
        self._process.start()
        child.close()
        self._conn = parent
        self.origin, self.ca_path = parent.recv()
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        with contextlib.suppress(OSError, BrokenPipeError):
            self._conn.send(("__stop__", (), {}))
        self._process.join(15)
        if self._process.is_alive():
            self._process.terminate()
        self._conn.close()
        self._process = None

    def __enter__(self) -> PushServiceProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self._conn.send((name, args, kwargs))
            ok, result = self._conn.recv()
        if not ok:
            raise result
        return result

    subscription_id = staticmethod(PushService.subscription_id)

    def cpu_seconds(self) -> float | None:
        """CPU time used by the service process so far (Linux /proc), or None if unknown."""
        try:
            with open(f"/proc/{self._process.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, AttributeError, IndexError, ValueError):
            return None

    @property
    def delay(self) -> float:
        return self._delay

    @delay.setter
    def delay(self, value: float) -> None:
        self._delay = value
        self._call("__setattr__", "delay", value)

    def new_subscription(self, profile: str | None = None, **kwargs: Any) -> dict:
        return self._call("new_subscription", profile, **kwargs)

    def new_subscriptions(self, count: int, profile: str | None = None) -> list[dict]:
        return self._call("new_subscriptions", count, profile)

    def expire(self, subscription_id: str) -> None:
        self._call("expire", subscription_id)

    def respond(self, status: int, **kwargs: Any) -> None:
        self._call("respond", status, **kwargs)

    def hang(self, seconds: float, **kwargs: Any) -> None:
        self._call("hang", seconds, **kwargs)

    def reset(self) -> None:
        self._call("reset")

    def received(self, subscription_id: str | None = None) -> list[Any]:
        return self._call("received", subscription_id)

    def counts(self) -> dict[str, int]:
        return self._call("counts")

    def deliveries(self, subscription_id: str | None = None) -> list[Delivery]:
        return self._call("deliveries", subscription_id)

    def answers(self, subscription_id: str | None = None) -> list[Answer]:
        return self._call("answers", subscription_id)

    @property
    def failures(self) -> list[Failure]:
        return self._call("failures")

    @property
    def max_in_flight(self) -> int:
        return self._call("max_in_flight")

    @property
    def distinct_tokens(self) -> int:
        return self._call("distinct_tokens")
