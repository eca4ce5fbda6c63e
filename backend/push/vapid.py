"""VAPID keys (RFC 8292): loading, one-time generation, and cached ``Authorization`` headers.

The application server key is a P-256 key pair. Its public half (``public_key_b64url``) is what the
browser receives as ``applicationServerKey``; every push request carries a JWT signed with the private
half, addressed (``aud``) to the push service's origin.

Header caching: a push service sees one signed header per origin for about 11 hours. Apple asks us not
to refresh the JWT more often than hourly, and rejects ``exp`` more than a day ahead, so we sign with
``exp = now + 12 h`` and re-sign once less than an hour is left (engineering-notes.md §2.5).

No Flask here: ``load_vapid`` takes plain values and an instance folder path.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import logging
import os
import re
import stat
import threading
import time
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02, VapidException

logger = logging.getLogger(__name__)

#: Lifetime of a signed JWT. RFC 8292 allows up to 24 h; Apple rejects "more than a day", so stay well under.
TOKEN_LIFETIME = 12 * 3600
#: Re-sign when less than this is left on the cached token.
REFRESH_MARGIN = 3600
#: File name of the generated key inside the instance folder.
KEY_FILE_NAME = "vapid_private.pem"
#: Subject used when none is configured. For development only: production must configure VAPID_SUBJECT
#: with a monitored address at the real domain (Apple answers 403 BadJwtToken to placeholders).
DEFAULT_DEV_SUBJECT = "mailto:push-dev@clearcourse.example.org"

# Top-level domains that never belong to a reachable mailbox (RFC 2606, RFC 6761, RFC 6762, RFC 8375).
_NON_PUBLIC_TLDS = frozenset(
    {"localhost", "local", "localdomain", "test", "invalid", "example", "internal", "lan", "home", "arpa"}
)
# Placeholder domains; rejected only by validate_subject(strict=True).
_PLACEHOLDER_DOMAINS = ("example.com", "example.org", "example.net")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
_LOCAL_PART = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")


# ---------------------------------------------------------------------------------------------------
# Subject validation
# ---------------------------------------------------------------------------------------------------


def _check_domain(domain: str, *, strict: bool) -> None:
    if not domain or len(domain) > 253:
        raise ValueError("the domain is empty or too long")
    try:
        ipaddress.ip_address(domain.strip("[]"))
    except ValueError:
        pass
    else:
        raise ValueError("an IP address is not a real-looking domain")
    labels = domain.lower().rstrip(".").split(".")
    if len(labels) < 2:
        raise ValueError(f"{domain!r} is not a fully qualified domain")
    if not all(_LABEL.match(label) for label in labels):
        raise ValueError(f"{domain!r} is not a valid domain name")
    if labels[-1] in _NON_PUBLIC_TLDS or not _TLD.match(labels[-1]):
        raise ValueError(f"{domain!r} is not a public domain")
    dotted = ".".join(labels)
    if strict and any(dotted == d or dotted.endswith("." + d) for d in _PLACEHOLDER_DOMAINS):
        raise ValueError(f"{domain!r} is a placeholder domain")


def validate_subject(subject: str, *, strict: bool = False) -> str:
    """Check a VAPID ``sub`` claim and return it unchanged; raise ``ValueError`` with the reason.

    Accepted: ``mailto:local@domain.tld`` with a plausible address (no spaces, no angle brackets, no
    query) at a real-looking public domain, or an ``https://`` URL of such a host. Rejected: localhost,
    IP literals, single-label and reserved names (``.local``, ``.test``, ``.invalid``, ``.example`` ...).
    ``strict=True`` (use it for production start-up checks) also rejects the RFC 2606 placeholder
    domains example.com/.org/.net.
    """
    if not isinstance(subject, str) or not subject:
        raise ValueError("VAPID subject is empty; set VAPID_SUBJECT to mailto:ops@<your domain>")
    if subject != subject.strip() or any(ch.isspace() for ch in subject):
        raise ValueError("VAPID subject must not contain whitespace")
    try:
        if subject.lower().startswith("mailto:"):
            address = subject[len("mailto:") :]
            if any(ch in address for ch in '<>?,;"()[]\\'):
                raise ValueError("the address must be a bare addr-spec, e.g. mailto:ops@example.com")
            local, sep, domain = address.rpartition("@")
            if not sep or not _LOCAL_PART.match(local) or ".." in local:
                raise ValueError(f"{address!r} is not a plausible e-mail address")
            if local.startswith(".") or local.endswith("."):
                raise ValueError(f"{address!r} is not a plausible e-mail address")
            _check_domain(domain, strict=strict)
        elif subject.lower().startswith("https://"):
            parts = urlsplit(subject)
            if parts.username is not None or parts.password is not None:
                raise ValueError("the URL must not contain credentials")
            if not parts.hostname:
                raise ValueError("the URL has no host")
            parts.port  # noqa: B018 - raises ValueError for a malformed port
            _check_domain(parts.hostname, strict=strict)
        else:
            raise ValueError("it must start with mailto: or https://")
    except ValueError as exc:
        raise ValueError(f"invalid VAPID subject {subject!r}: {exc}") from None
    return subject


# ---------------------------------------------------------------------------------------------------
# Keys and headers
# ---------------------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    cleaned = "".join(text.split()).replace("+", "-").replace("/", "_").rstrip("=")
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def endpoint_origin(endpoint: str) -> str:
    """Return ``scheme://host[:port]`` of a push endpoint: the VAPID ``aud`` (RFC 8292 §2).

    Default ports are dropped and the host is lower-cased, so equivalent endpoints share one origin.
    """
    parts = urlsplit(endpoint)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("push endpoint must be an absolute http(s) URL")
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    if port is None or (scheme, port) in (("https", 443), ("http", 80)):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


class _Headers(dict):
    """A read-only ``dict``: cached headers are shared between callers, so nobody may change them."""

    def _readonly(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("cached VAPID headers are read-only; copy them with dict(headers)")

    __setitem__ = __delitem__ = _readonly
    clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]

    def __ior__(self, other: Any) -> NoReturn:  # type: ignore[override,misc]
        self._readonly()


class VapidKeys:
    """The application server's VAPID key pair plus a thread-safe per-origin header cache.

    Attributes:
        private_key: the P-256 private key object.
        public_key_b64url: the 65-byte uncompressed public point, base64url without padding
            (the browser's ``applicationServerKey``).
        subject: the ``sub`` claim (``mailto:`` or ``https:``).
    """

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        subject: str,
        *,
        clock: Callable[[], float] = time.time,
        token_lifetime: int = TOKEN_LIFETIME,
        refresh_margin: int = REFRESH_MARGIN,
    ) -> None:
        if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
            private_key.curve, ec.SECP256R1
        ):
            raise ValueError("VAPID key must be an EC private key on P-256 (prime256v1)")
        if not 0 < refresh_margin < token_lifetime <= 24 * 3600:
            raise ValueError("need 0 < refresh_margin < token_lifetime <= 24 h")
        self.private_key = private_key
        self.subject = subject
        self.public_key_b64url = _b64url(
            private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )
        self._signer = Vapid02(private_key)
        self._clock = clock
        self._lifetime = token_lifetime
        self._margin = refresh_margin
        self._cache: dict[str, tuple[_Headers, float]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never print key material
        return f"VapidKeys(public_key_b64url={self.public_key_b64url!r}, subject={self.subject!r})"

    def private_key_pem(self) -> bytes:
        return self.private_key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )

    def authorization_header(self, endpoint: str) -> dict[str, str]:
        """``{"Authorization": "vapid t=<JWT>,k=<public key>"}`` for the endpoint's origin.

        Signed once per origin and cached; the same (read-only) dict is returned until it has less
        than ``refresh_margin`` seconds left, then it is re-signed. Safe to call from many threads.
        """
        origin = endpoint_origin(endpoint)
        now = self._clock()
        cached = self._cache.get(origin)
        if cached is not None and cached[1] - now >= self._margin:
            return cached[0]
        with self._lock:
            cached = self._cache.get(origin)
            now = self._clock()
            if cached is not None and cached[1] - now >= self._margin:
                return cached[0]
            exp = int(now) + self._lifetime
            try:
                signed = self._signer.sign({"aud": origin, "exp": exp, "sub": self.subject})
            except VapidException as exc:
                raise ValueError(f"cannot sign VAPID claims for {origin}: {exc}") from None
            headers = _Headers(Authorization=signed["Authorization"])
            self._cache[origin] = (headers, float(exp))
            logger.debug("signed VAPID header for %s (exp %d)", origin, exp)
            return headers


# ---------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------


def _check_curve(key: Any) -> ec.EllipticCurvePrivateKey:
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ValueError("VAPID_PRIVATE_KEY must be a P-256 (prime256v1) EC private key")
    return key


def parse_private_key(text: str) -> ec.EllipticCurvePrivateKey:
    """Parse a VAPID private key given as PEM, raw base64url 32-byte scalar, or base64url DER."""
    value = text.strip()
    if "-----BEGIN" in value:
        # Environment variables often carry PEM with literal "\n" sequences.
        pem = value.replace("\\n", "\n").encode("ascii", "replace")
        try:
            return _check_curve(serialization.load_pem_private_key(pem, password=None))
        except (ValueError, TypeError) as exc:
            raise ValueError(f"VAPID_PRIVATE_KEY is not a readable unencrypted PEM key ({exc})") from None
    try:
        raw = _b64url_decode(value)
    except (binascii.Error, ValueError):
        raise ValueError("VAPID_PRIVATE_KEY is neither PEM nor base64url") from None
    if len(raw) == 32:
        scalar = int.from_bytes(raw, "big")
        try:
            return ec.derive_private_key(scalar, ec.SECP256R1())
        except ValueError:
            raise ValueError("VAPID_PRIVATE_KEY is not a valid P-256 scalar") from None
    try:
        return _check_curve(serialization.load_der_private_key(raw, password=None))
    except (ValueError, TypeError):
        raise ValueError(
            "VAPID_PRIVATE_KEY must be PEM or a base64url 32-byte P-256 private scalar"
        ) from None


def _read_key_file(path: str) -> ec.EllipticCurvePrivateKey:
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if mode & 0o077:
        logger.warning("VAPID key file %s has mode %o; it should be 0600", path, mode)
    with open(path, encoding="ascii") as fh:
        return parse_private_key(fh.read())


def _generate_key_file(path: str) -> ec.EllipticCurvePrivateKey:
    """Create ``path`` with a new key, atomically, mode 0600. If another process wins, use its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    # Write a private temp file first and link it into place: the final name never holds a partial key.
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)
        except FileExistsError:
            logger.info("VAPID key %s was created concurrently; using it", path)
            return _read_key_file(path)
        except OSError:  # filesystem without hard links: fall back to O_EXCL on the final name
            fd2 = os.open(path, flags, 0o600)
            with os.fdopen(fd2, "wb") as fh:
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    logger.warning("generated a new VAPID key in %s (back it up: losing it orphans every subscription)", path)
    return key


def load_vapid(
    private_key: str | None,
    subject: str | None,
    instance_path: str,
    *,
    clock: Callable[[], float] = time.time,
) -> VapidKeys:
    """Return the application's VAPID keys.

    ``private_key`` (VAPID_PRIVATE_KEY) may be PEM or a raw base64url 32-byte scalar. When it is
    absent, the key in ``<instance_path>/vapid_private.pem`` is used, generating it once (mode 0600)
    if missing. ``subject`` is validated with :func:`validate_subject`; ``None`` means
    :data:`DEFAULT_DEV_SUBJECT`, which is only acceptable in development (the caller decides).
    """
    if subject is None:
        logger.warning("VAPID_SUBJECT not set; using the development default %s", DEFAULT_DEV_SUBJECT)
        subject = DEFAULT_DEV_SUBJECT
    validate_subject(subject)
    if private_key is not None and private_key.strip():
        key = parse_private_key(private_key)
    else:
        os.makedirs(instance_path, mode=0o700, exist_ok=True)
        path = os.path.join(instance_path, KEY_FILE_NAME)
        try:
            key = _read_key_file(path)
        except FileNotFoundError:
            key = _generate_key_file(path)
    return VapidKeys(key, subject, clock=clock)
