"""VAPID keys: loading, one-time generation, subject validation, cached per-origin headers."""

from __future__ import annotations

import base64
import json
import os
import stat
import threading

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import jwt as vapid_jwt

from backend.push.vapid import (
    DEFAULT_DEV_SUBJECT,
    KEY_FILE_NAME,
    VapidKeys,
    endpoint_origin,
    load_vapid,
    validate_subject,
)

SUBJECT = "mailto:ops@clearcourse.app"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(headers: dict[str, str], public_key_b64url: str) -> dict:
    scheme, _, params = headers["Authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(item.split("=", 1) for item in params.split(","))
    assert parts["k"] == public_key_b64url
    return vapid_jwt.decode(parts["t"], parts["k"])  # raises if the signature is wrong


class FakeClock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# -- key generation and loading -----------------------------------------------------------------------


def test_generates_key_once_with_mode_0600_and_reuses_it(tmp_path):
    instance = tmp_path / "instance"
    first = load_vapid(None, SUBJECT, str(instance))
    key_file = instance / KEY_FILE_NAME
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert key_file.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert sorted(os.listdir(instance)) == [KEY_FILE_NAME]  # no temp files left behind

    second = load_vapid(None, SUBJECT, str(instance))
    assert second.public_key_b64url == first.public_key_b64url
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_concurrent_first_start_agrees_on_one_key(tmp_path):
    results: list[str] = []
    errors: list[BaseException] = []

    def start() -> None:
        try:
            results.append(load_vapid(None, SUBJECT, str(tmp_path)).public_key_b64url)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(set(results)) == 1
    assert sorted(os.listdir(tmp_path)) == [KEY_FILE_NAME]


def test_public_key_is_uncompressed_p256_point(tmp_path):
    keys = load_vapid(None, SUBJECT, str(tmp_path))
    raw = base64.urlsafe_b64decode(keys.public_key_b64url + "=" * (-len(keys.public_key_b64url) % 4))
    assert len(raw) == 65 and raw[0] == 4
    assert "=" not in keys.public_key_b64url


def test_env_key_as_pem(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    expected = _b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    assert load_vapid(pem, SUBJECT, str(tmp_path)).public_key_b64url == expected
    # PEM pasted into an env var with literal "\n" sequences, and traditional "EC PRIVATE KEY" PEM
    assert load_vapid(pem.replace("\n", "\\n"), SUBJECT, str(tmp_path)).public_key_b64url == expected
    sec1 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    assert load_vapid(sec1, SUBJECT, str(tmp_path)).public_key_b64url == expected
    assert not (tmp_path / KEY_FILE_NAME).exists()  # an env key never writes a file


def test_env_key_as_raw_base64url_scalar(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    raw = _b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    keys = load_vapid(raw, SUBJECT, str(tmp_path))
    assert keys.private_key.private_numbers().private_value == key.private_numbers().private_value


@pytest.mark.parametrize(
    "bad",
    [
        "not a key",
        _b64url(b"\x01" * 31),
        _b64url(b"\x00" * 32),  # zero is not a valid scalar
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
        ec.generate_private_key(ec.SECP384R1())
        .private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        .decode(),
    ],
)
def test_bad_env_key_is_refused_clearly(tmp_path, bad):
    with pytest.raises(ValueError, match="VAPID_PRIVATE_KEY"):
        load_vapid(bad, SUBJECT, str(tmp_path))


def test_repr_does_not_leak_private_key(tmp_path):
    keys = load_vapid(None, SUBJECT, str(tmp_path))
    assert "PRIVATE" not in repr(keys) and keys.public_key_b64url in repr(keys)


# -- subject ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject",
    [
        "mailto:ops@clearcourse.app",
        "mailto:push-alerts+vapid@mail.clearcourse.co.uk",
        "https://clearcourse.app",
        "https://clearcourse.app/contact",
        "mailto:push-test@clearcourse.example.org",  # fine unless strict
    ],
)
def test_valid_subjects(subject):
    assert validate_subject(subject) == subject


@pytest.mark.parametrize(
    "subject",
    [
        "",
        "ops@clearcourse.app",  # no scheme
        "mailto:",
        "mailto:ops",
        "mailto: ops@clearcourse.app",  # the space Apple rejects
        "mailto:<ops@clearcourse.app>",
        "mailto:ops@localhost",
        "mailto:ops@push.localhost",
        "mailto:ops@server",  # single label
        "mailto:ops@127.0.0.1",
        "mailto:ops@[::1]",
        "mailto:ops@printer.local",
        "mailto:ops@site.test",
        "mailto:ops@clearcourse.app?subject=hi",
        "mailto:ops@-bad-.com",
        "http://clearcourse.app",
        "https://localhost",
        "https://10.0.0.1",
        "https://user:pw@clearcourse.app",
        "ftp://clearcourse.app",
    ],
)
def test_invalid_subjects(subject):
    with pytest.raises(ValueError):
        validate_subject(subject)


def test_strict_rejects_placeholder_domains():
    with pytest.raises(ValueError, match="placeholder"):
        validate_subject("mailto:ops@example.com", strict=True)
    with pytest.raises(ValueError, match="placeholder"):
        validate_subject("mailto:push-test@clearcourse.example.org", strict=True)
    assert validate_subject("mailto:ops@clearcourse.app", strict=True)


def test_load_vapid_validates_subject_and_has_a_dev_default(tmp_path):
    with pytest.raises(ValueError, match="VAPID subject"):
        load_vapid(None, "mailto:me@localhost", str(tmp_path))
    assert load_vapid(None, None, str(tmp_path)).subject == DEFAULT_DEV_SUBJECT
    validate_subject(DEFAULT_DEV_SUBJECT)


# -- headers ------------------------------------------------------------------------------------------


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def keys(clock):
    return VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT, clock=clock)


def test_endpoint_origin():
    assert endpoint_origin("https://fcm.googleapis.com/fcm/send/abc") == "https://fcm.googleapis.com"
    assert endpoint_origin("https://FCM.googleapis.com:443/x") == "https://fcm.googleapis.com"
    assert endpoint_origin("http://127.0.0.1:8080/push/x?y#z") == "http://127.0.0.1:8080"
    assert endpoint_origin("https://[::1]:9443/p") == "https://[::1]:9443"
    with pytest.raises(ValueError):
        endpoint_origin("/relative")


def test_header_is_signed_for_the_origin(keys, clock):
    headers = keys.authorization_header("https://web.push.apple.com/QGuQyavXutnMH/abc")
    claims = _claims(headers, keys.public_key_b64url)
    assert claims == {"aud": "https://web.push.apple.com", "exp": int(clock.now) + 12 * 3600, "sub": SUBJECT}
    header = json.loads(
        base64.urlsafe_b64decode(headers["Authorization"].split("t=")[1].split(".")[0] + "==")
    )
    assert header == {"typ": "JWT", "alg": "ES256"}


def test_header_cached_per_origin(keys):
    a = keys.authorization_header("https://fcm.googleapis.com/fcm/send/one")
    b = keys.authorization_header("https://fcm.googleapis.com/fcm/send/two")
    c = keys.authorization_header("https://fcm.googleapis.com:443/wp/three")
    other = keys.authorization_header("https://updates.push.services.mozilla.com/wpush/v2/x")
    assert a is b is c
    assert other is not a
    assert _claims(other, keys.public_key_b64url)["aud"] == "https://updates.push.services.mozilla.com"


def test_header_refreshed_when_less_than_an_hour_left(keys, clock):
    endpoint = "https://fcm.googleapis.com/fcm/send/one"
    first = keys.authorization_header(endpoint)
    signed_at = clock.now
    clock.now = signed_at + 11 * 3600 - 1  # 1 h + 1 s left: still cached
    assert keys.authorization_header(endpoint) is first
    clock.now = signed_at + 11 * 3600 + 1  # under 1 h left: re-signed
    second = keys.authorization_header(endpoint)
    assert second is not first
    assert _claims(second, keys.public_key_b64url)["exp"] == int(clock.now) + 12 * 3600
    assert keys.authorization_header(endpoint) is second


def test_cached_headers_are_read_only(keys):
    headers = keys.authorization_header("https://fcm.googleapis.com/fcm/send/one")
    with pytest.raises(TypeError):
        headers["Urgency"] = "high"
    with pytest.raises(TypeError):
        headers.update({"TTL": "60"})
    merged = {**headers, "Urgency": "high"}  # the supported way
    assert merged["Authorization"] == headers["Authorization"]


def test_header_cache_is_thread_safe(keys):
    seen: list[int] = []
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        seen.append(id(keys.authorization_header("https://fcm.googleapis.com/fcm/send/x")))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1
