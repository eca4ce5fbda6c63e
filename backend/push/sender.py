"""Send Web Push messages: many in flight over pooled connections, with the §2.4 error mapping.

A :class:`PushSender` keeps, for its lifetime, one event loop in a daemon thread and one aiohttp
``ClientSession`` (keep-alive pool with a connection limit, one SSL context), created lazily in the
process that first sends (rebuilt after ``fork``, never shared across processes). Every blocking
:meth:`PushSender.send_many` call (and :meth:`PushSender.submit_many`, which returns a future at
once), from any thread or from inside a running loop, runs on that loop, so consecutive batches reuse
open (TLS) connections. Requests in flight are bounded by one semaphore
shared by all calls, and there is one task per message, so the back-off of one message never delays
another. :meth:`PushSender.close` releases the loop and pool (also done at interpreter exit).
:meth:`PushSender.send_many_async` is for callers with their own loop: it uses a pool of its own
for the duration of the call. Each request is pywebpush's
``WebPusher(...).send_async(...)`` (RFC 8291 ``aes128gcm`` encryption) with:

* our cached VAPID ``Authorization`` header for the endpoint's origin (:class:`VapidKeys`),
* ``TTL`` (always > 0), ``Urgency`` and, when set, ``Topic`` headers,
* a request timeout, always, and a total deadline per message over all its attempts and back-off
  (``deadline``, counted from its first attempt, so waiting for a free slot in a big batch does not
  eat it): however a push service answers (slowly, never, Retry-After), a message is done within it;
  redirects are never followed.

We do not use pywebpush's ``webpush()`` helper: it mutates the claims dict, signs a JWT per call,
sends ``TTL: 0`` and has no timeout by default (engineering-notes.md §2.2).

Outcome per message (:class:`PushResult`):

====================  =====================================================================
2xx                   ``ok``
404, 410              ``gone``: the caller deletes the subscription; not retried
429, 408, 5xx,        retried with exponential back-off and full jitter, honouring ``Retry-After``
timeout, conn. error  (seconds or HTTP date) up to ``max_attempts``. A ``Retry-After`` longer than
                      ``max_retry_after`` is not waited for in-process: the result carries
                      ``retry_after`` so the caller can reschedule.
400, 413, other 4xx   ``permanent`` (a bug on our side: bad headers, payload too large); logged
401, 403              ``auth_error``: our VAPID configuration (e.g. Apple ``BadJwtToken``); logged
                      at ERROR and never treated as gone
====================  =====================================================================

A ``Retry-After`` holds the whole push-service origin that sent it, not only the message that got
it: until it runs out, every message to that origin waits (if the wait is at most
``max_retry_after``) or comes back at once, unsent, as ``deferred`` with the seconds left in
``retry_after``; messages to other origins are not slowed at all.

Payloads are never refused for size: :func:`fit_payload` shortens the notification text (``body``,
then ``title``, with an ellipsis) until the encrypted record stays under ``MAX_ENCRYPTED_BODY``,
and keeps everything else (actions, url, ids).

Endpoints are capability URLs; logs show the subscription id and the push service origin only.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import contextlib
import email.utils
import functools
import hashlib
import json
import logging
import os
import random
import re
import socket
import ssl
import threading
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import aiohttp
import aiohttp.abc
import http_ece
from pywebpush import WebPusher, WebPushException

from .vapid import VapidKeys, endpoint_origin

logger = logging.getLogger(__name__)

URGENCIES = ("very-low", "low", "normal", "high")
_TOPIC_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")

#: Our rule (engineering-notes.md §2.1): the encrypted body stays under 2 KB.
MAX_ENCRYPTED_BODY = 2048
#: aes128gcm overhead for one record: salt 16 + rs 4 + idlen 1 + sender key 65 (= 86-byte header)
#: + 1 padding delimiter + 16-byte tag.
AES128GCM_OVERHEAD = 86 + 1 + 16
#: Largest JSON payload (UTF-8 bytes) whose encrypted body stays below MAX_ENCRYPTED_BODY (and so far
#: below the 4,096 bytes every push service must accept, RFC 8030 §7.2).
MAX_PAYLOAD_BYTES = MAX_ENCRYPTED_BODY - 1 - AES128GCM_OVERHEAD


def make_topic(text: str) -> str:
    """A stable RFC 8030 ``Topic`` for ``text``: 32 characters of the URL-safe base64 alphabet.

    Use one topic per reminder occurrence, so a repeated send replaces the pending copy on the phone.
    """
    digest = hashlib.sha256(text.encode("utf-8")).digest()[:24]  # 24 bytes -> exactly 32 chars
    return base64.urlsafe_b64encode(digest).decode("ascii")


def _json_bytes(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def encrypted_size(plaintext_bytes: int) -> int:
    """Bytes on the wire for ``plaintext_bytes`` in one aes128gcm record (what a push service measures)."""
    return plaintext_bytes + AES128GCM_OVERHEAD


#: Text fields that may be shortened to fit, in this order; everything else is kept whole.
SHORTENABLE = ("body", "title")
ELLIPSIS = "\u2026"


def _cut(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes (ellipsis included), on a character boundary."""
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    room = max_bytes - len(ELLIPSIS.encode("utf-8"))
    if room <= 0:
        return ""
    cut = text.encode("utf-8")[:room].decode("utf-8", errors="ignore").rstrip()
    return cut + ELLIPSIS


def fit_payload(payload: dict) -> tuple[bytes, bool]:
    """Compact UTF-8 JSON for ``payload`` whose encrypted body stays below ``MAX_ENCRYPTED_BODY``.

    When needed, first drops ``local`` (the same title and body again as templates for the phone's
    locale: the phone then shows the plain ``title``/``body``), then shortens ``body`` and then
    ``title``; the rest (``actions``, ``url``, ids) is kept. Returns (bytes, shortened).
    ``ValueError`` when even without that text it is too large.
    """
    data = _json_bytes(payload)
    if not data:
        raise ValueError("payload is empty")
    if len(data) <= MAX_PAYLOAD_BYTES:
        return data, False
    fitted = dict(payload)
    if fitted.pop("local", None) is not None:
        data = _json_bytes(fitted)
        if len(data) <= MAX_PAYLOAD_BYTES:
            return data, True
    for name in SHORTENABLE:
        text = fitted.get(name)
        if not isinstance(text, str) or not text:
            continue
        excess = len(data) - MAX_PAYLOAD_BYTES
        # JSON escapes make a character cost more than its UTF-8 bytes; shrink until it fits.
        budget = max(0, len(text.encode("utf-8")) - excess)
        while True:
            fitted[name] = _cut(text, budget)
            data = _json_bytes(fitted)
            if len(data) <= MAX_PAYLOAD_BYTES or budget == 0:
                break
            budget = max(0, budget - (len(data) - MAX_PAYLOAD_BYTES))
        if len(data) <= MAX_PAYLOAD_BYTES:
            return data, True
    raise ValueError(
        f"payload too large: {len(data)} bytes of JSON encrypts to {encrypted_size(len(data))} bytes "
        f"even with its text shortened; the limit is {MAX_PAYLOAD_BYTES} bytes of JSON "
        f"(< {MAX_ENCRYPTED_BODY} encrypted). Send ids and a short title/body; let the app fetch details."
    )


def encode_payload(payload: dict) -> bytes:
    """:func:`fit_payload` without the flag: the bytes to encrypt."""
    return fit_payload(payload)[0]


@dataclass(frozen=True)
class PushTarget:
    subscription_id: str
    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class PushMessage:
    """One push to one subscription. ``ttl`` (seconds) must be > 0; ``topic`` see :func:`make_topic`."""

    target: PushTarget
    payload: dict
    ttl: int
    urgency: str = "normal"
    topic: str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.ttl, bool) or not isinstance(self.ttl, int) or self.ttl <= 0:
            raise ValueError(f"ttl must be a positive integer of seconds, got {self.ttl!r}")
        if self.urgency not in URGENCIES:
            raise ValueError(f"urgency must be one of {URGENCIES}, got {self.urgency!r}")
        if self.topic is not None and not _TOPIC_RE.match(self.topic):
            raise ValueError("topic must be 1-32 characters of the URL-safe base64 alphabet (make_topic)")


@dataclass
class PushResult:
    subscription_id: str
    status_code: int | None
    ok: bool
    gone: bool
    permanent: bool
    auth_error: bool
    retry_after: float | None
    attempts: int
    error: str | None = None
    #: Not sent: the push service origin asked us to wait (``retry_after`` seconds left).
    deferred: bool = False


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value (delta-seconds or HTTP-date); None if unusable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


class _NoRedirectSession:
    """What WebPusher needs from an aiohttp session (``post``), with redirects turned off.

    A push service never redirects; following one would let an endpoint bounce our POST elsewhere.
    """

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._session.post(url, allow_redirects=False, **kwargs)


@dataclass
class _Attempt:
    status: int | None
    retry_after: float | None
    error: str | None
    retriable: bool
    body: str = ""


class PinnedResolver(aiohttp.abc.AbstractResolver):
    """Resolves the host names in ``pins`` to the given addresses (like ``curl --resolve``); any
    other name goes to the default resolver. Tests pin the push services' test host names to the
    loopback push service, so nothing leaves the machine."""

    def __init__(self, pins: Mapping[str, str]) -> None:
        self._pins = {host.lower(): address for host, address in pins.items()}
        self._default: aiohttp.abc.AbstractResolver | None = None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[aiohttp.abc.ResolveResult]:
        address = self._pins.get(host.lower())
        if address is None:
            if self._default is None:
                self._default = aiohttp.ThreadedResolver()
            return await self._default.resolve(host, port, family)
        pinned_family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": pinned_family,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
        ]

    async def close(self) -> None:
        if self._default is not None:
            await self._default.close()


def _make_session(
    concurrency: int, timeout: float, ca_bundle: str | None, resolve: Mapping[str, str] | None = None
) -> aiohttp.ClientSession:
    """A keep-alive pool (limit = concurrency) with our SSL context; call inside a running loop."""
    ssl_context = ssl.create_default_context(cafile=ca_bundle) if ca_bundle else True
    resolver = PinnedResolver(resolve) if resolve else None
    connector = aiohttp.TCPConnector(limit=concurrency, ssl=ssl_context, ttl_dns_cache=300, resolver=resolver)
    return aiohttp.ClientSession(
        connector=connector,
        trust_env=False,
        timeout=aiohttp.ClientTimeout(total=timeout),
    )


class _Runtime:
    """One event loop in a daemon thread plus the aiohttp session used on it, for one process.

    Holds no reference to its :class:`PushSender`, so ``weakref.finalize`` can close it when the
    sender is garbage-collected or the interpreter exits.
    """

    def __init__(self, make_session: Callable[[], aiohttp.ClientSession], concurrency: int) -> None:
        self.pid = os.getpid()
        self._make_session = make_session
        self._concurrency = concurrency
        self.session: aiohttp.ClientSession | None = None  # only touched on the loop thread
        self.semaphore: asyncio.Semaphore | None = None  # idem
        self.closed = False
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="push-sender-loop", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def session_and_semaphore(self) -> tuple[aiohttp.ClientSession, asyncio.Semaphore]:
        """The shared session (re-created if it was closed) and semaphore; call on the loop thread."""
        if self.session is None or self.session.closed:
            self.session = self._make_session()
        if self.semaphore is None:
            self.semaphore = asyncio.Semaphore(self._concurrency)
        return self.session, self.semaphore

    async def _shutdown(self) -> None:
        current = asyncio.current_task()
        pending = [t for t in asyncio.all_tasks() if t is not current]
        for task in pending:  # in-flight send_many calls: their callers get CancelledError
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        if self.session is not None and not self.session.closed:
            await self.session.close()
        self.session = None

    def close(self, timeout: float = 10.0) -> None:
        """Close the session, stop the loop and join its thread. Idempotent; a no-op after fork."""
        if self.closed or os.getpid() != self.pid:
            return
        self.closed = True
        if threading.current_thread() is self.thread:  # e.g. garbage-collected on the loop thread
            task = self.loop.create_task(self._shutdown())
            task.add_done_callback(lambda _t: self.loop.stop())
            return
        if not self.thread.is_alive() or self.loop.is_closed():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), self.loop).result(timeout)
        except Exception:  # closing must not raise (atexit, finalizers)
            logger.warning("push sender: clean shutdown of the session failed", exc_info=True)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout)
        if not self.thread.is_alive():
            self.loop.close()


#: Runtimes inherited from a parent process: never used or closed in the child (their loop thread
#: does not exist here), only kept referenced so their destructors do not touch shared sockets.
_INHERITED_RUNTIMES: list[_Runtime] = []


class PushSender:
    """Deliver :class:`PushMessage` batches; one shared connection pool per process (see module doc).

    Thread-safe: any number of threads may call :meth:`send_many` at once. After :meth:`close`, the
    next :meth:`send_many` lazily starts a new loop and session.
    """

    def __init__(
        self,
        vapid: VapidKeys,
        *,
        concurrency: int = 256,
        timeout: float = 10.0,
        max_attempts: int = 4,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 60.0,
        deadline: float = 30.0,
        ca_bundle: str | None = None,
        resolve: Mapping[str, str] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if concurrency < 1 or max_attempts < 1 or timeout <= 0 or deadline <= 0:
            raise ValueError("concurrency and max_attempts must be >= 1, timeout and deadline > 0")
        self.vapid = vapid
        self.concurrency = concurrency
        self.timeout = timeout
        self.deadline = deadline
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self.ca_bundle = ca_bundle
        self.resolve = dict(resolve) if resolve else None
        self._sleep = sleep
        self._clock = clock
        #: push-service origin -> clock time before which it asked us not to send (Retry-After).
        self._held_until: dict[str, float] = {}
        self._random = random.Random()
        self._lock = threading.Lock()
        self._lock_pid = os.getpid()
        self._runtime: _Runtime | None = None
        self._finalizer: weakref.finalize | None = None

    # -- public API ----------------------------------------------------------------------------------

    def send_many(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Blocking :meth:`send_many_async` on the sender's own loop thread and shared session.

        Works from any thread, including one that runs an event loop (that loop is blocked until
        the batch is done; prefer awaiting :meth:`send_many_async` there). A concurrent
        :meth:`close` cancels the batch (``concurrent.futures.CancelledError``).
        """
        return self.submit_many(messages).result()

    def submit_many(self, messages: Sequence[PushMessage]) -> concurrent.futures.Future[list[PushResult]]:
        """Start sending ``messages`` on the shared loop and return at once; the future holds the results.

        Batches submitted one after another share the sender's in-flight window (one semaphore, FIFO):
        the next batch's messages take the slots the current batch frees, so a caller that submits
        batch N+1 before batch N has drained keeps the window full across batches (the dispatcher's
        pipeline). Results are in input order; :meth:`close` cancels pending futures.
        """
        if not messages:
            done: concurrent.futures.Future[list[PushResult]] = concurrent.futures.Future()
            done.set_result([])
            return done
        with self._guard():
            runtime = self._ensure_runtime()
            if threading.current_thread() is runtime.thread:
                raise RuntimeError("send_many called on the sender's own loop; await send_many_async")
            return asyncio.run_coroutine_threadsafe(self._send_shared(runtime, messages), runtime.loop)

    async def send_many_async(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Send every message; results are in input order. Never raises for a single message.

        Runs in the caller's loop with a session of its own for this call (not the shared one).
        """
        if not messages:
            return []
        async with self._new_session() as session:
            return await self._send_batch(session, asyncio.Semaphore(self.concurrency), messages)

    def close(self) -> None:
        """Close the shared session, stop the loop thread and join it. Idempotent.

        A later :meth:`send_many` starts a new loop and session. Also runs at interpreter exit and
        when the sender is garbage-collected.
        """
        with self._guard():
            runtime, self._runtime = self._runtime, None
            if self._finalizer is not None:
                self._finalizer.detach()
                self._finalizer = None
        if runtime is not None:
            runtime.close()

    # -- shared loop and session ----------------------------------------------------------------------

    def _guard(self) -> threading.Lock:
        """The instance lock; a fresh one in a forked child (the parent's may be held forever)."""
        pid = os.getpid()
        if self._lock_pid != pid:
            self._lock = threading.Lock()
            self._lock_pid = pid
        return self._lock

    def _ensure_runtime(self) -> _Runtime:
        """The loop thread for this process (hold the lock): started lazily, rebuilt after fork."""
        runtime = self._runtime
        if runtime is not None and runtime.pid != os.getpid():
            _INHERITED_RUNTIMES.append(runtime)
            if self._finalizer is not None:
                self._finalizer.detach()
            runtime = self._runtime = self._finalizer = None
        if runtime is None:
            # The runtime must not reference self (the finalizer would keep the sender alive).
            make = functools.partial(
                _make_session, self.concurrency, self.timeout, self.ca_bundle, self.resolve
            )
            runtime = _Runtime(make, self.concurrency)
            self._runtime = runtime
            self._finalizer = weakref.finalize(self, runtime.close)
        return runtime

    async def _send_shared(self, runtime: _Runtime, messages: Sequence[PushMessage]) -> list[PushResult]:
        session, semaphore = runtime.session_and_semaphore()
        return await self._send_batch(session, semaphore, messages)

    def _new_session(self) -> aiohttp.ClientSession:
        return _make_session(self.concurrency, self.timeout, self.ca_bundle, self.resolve)

    async def _send_batch(
        self, session: aiohttp.ClientSession, semaphore: asyncio.Semaphore, messages: Sequence[PushMessage]
    ) -> list[PushResult]:
        wrapped = _NoRedirectSession(session)
        tasks = [asyncio.create_task(self._deliver(m, wrapped, semaphore)) for m in messages]
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            for task in tasks:
                task.cancel()

    # -- one message ----------------------------------------------------------------------------------

    async def _deliver(
        self, message: PushMessage, session: _NoRedirectSession, semaphore: asyncio.Semaphore
    ) -> PushResult:
        try:
            return await self._deliver_one(message, session, semaphore)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one bad message must never sink the batch
            sid = message.target.subscription_id
            logger.exception("push %s: unexpected error", sid)
            return _result(sid, None, attempts=1, permanent=True, error=f"{type(exc).__name__}: {exc}")

    async def _deliver_one(
        self, message: PushMessage, session: _NoRedirectSession, semaphore: asyncio.Semaphore
    ) -> PushResult:
        target = message.target
        sid = target.subscription_id
        try:
            data, shortened = fit_payload(message.payload)
            origin = endpoint_origin(target.endpoint)
            pusher = WebPusher(
                {"endpoint": target.endpoint, "keys": {"p256dh": target.p256dh, "auth": target.auth}},
                aiohttp_session=session,  # type: ignore[arg-type]  # duck-typed: only .post is used
            )
            headers = dict(self.vapid.authorization_header(target.endpoint))
        except (ValueError, TypeError, WebPushException) as exc:
            logger.error("push %s not sent: %s", sid, exc)
            return _result(sid, None, attempts=0, permanent=True, error=str(exc))
        if shortened:
            logger.info("push %s: notification text shortened to fit the push size limit", sid)
        headers["Urgency"] = message.urgency
        if message.topic:
            headers["Topic"] = message.topic

        attempts = 0
        last: _Attempt | None = None
        loop = asyncio.get_running_loop()
        ends: float | None = None  # the total deadline, set when the first attempt starts
        while True:
            wait = self.held_for(origin)
            if wait > self.max_retry_after:
                logger.info("push %s: %s asked us to wait %.0f s more; deferred, not sent", sid, origin, wait)
                return _result(
                    sid,
                    last.status if last else None,
                    attempts=attempts,
                    retry_after=wait,
                    deferred=True,
                    error=f"deferred: {origin} asked to wait (Retry-After)",
                )
            if wait > 0:
                await self._sleep(wait)
            attempts += 1
            async with semaphore:
                if ends is None:
                    ends = loop.time() + self.deadline
                last = await self._attempt(pusher, data, headers, message.ttl, ends - loop.time())
            if last.retry_after is not None and last.status is not None and last.status >= 400:
                self._hold(origin, last.retry_after)
            status = last.status
            if status is not None and 200 <= status < 300:
                if attempts > 1:
                    logger.info("push %s to %s delivered after %d attempts", sid, origin, attempts)
                return _result(sid, status, attempts=attempts, ok=True)
            if status in (404, 410):
                logger.info("push %s: subscription gone (%d from %s)", sid, status, origin)
                return _result(sid, status, attempts=attempts, gone=True, error=f"{status} subscription gone")
            if status in (401, 403):
                logger.error(
                    "push %s: %s refused our VAPID authorization (%d %s); check VAPID key, subject and "
                    "clock. The subscription is kept.",
                    sid,
                    origin,
                    status,
                    last.body,
                )
                return _result(sid, status, attempts=attempts, auth_error=True, error=f"{status} {last.body}")
            if not last.retriable:
                logger.error("push %s to %s failed permanently: %s", sid, origin, last.error)
                return _result(
                    sid,
                    status,
                    attempts=attempts,
                    permanent=True,
                    error=last.error,
                    retry_after=last.retry_after,
                )
            if attempts >= self.max_attempts:
                logger.warning(
                    "push %s to %s failed after %d attempts: %s", sid, origin, attempts, last.error
                )
                return _result(sid, status, attempts=attempts, error=last.error, retry_after=last.retry_after)
            if last.retry_after is not None and last.retry_after > self.max_retry_after:
                logger.warning(
                    "push %s: %s asked to wait %.0f s (> %.0f s); leaving the retry to the caller",
                    sid,
                    origin,
                    last.retry_after,
                    self.max_retry_after,
                )
                return _result(sid, status, attempts=attempts, error=last.error, retry_after=last.retry_after)
            # With a Retry-After the origin is held (see the loop's top); otherwise back off.
            delay = self.held_for(origin) if last.retry_after is not None else self._backoff(attempts, None)
            if loop.time() + delay >= ends:
                logger.warning("push %s to %s: total deadline of %g s reached", sid, origin, self.deadline)
                return _result(sid, status, attempts=attempts, error=last.error, retry_after=last.retry_after)
            if last.retry_after is not None:
                continue
            logger.debug(
                "push %s to %s: %s; retry %d in %.2f s", sid, origin, last.error, attempts + 1, delay
            )
            await self._sleep(delay)

    async def _attempt(
        self, pusher: WebPusher, data: bytes, headers: dict[str, str], ttl: int, remaining: float
    ) -> _Attempt:
        """One request, over within `remaining` seconds (the message's deadline) and `timeout`."""
        limit = max(0.001, min(self.timeout, remaining))
        try:
            resp = await asyncio.wait_for(
                pusher.send_async(
                    data,
                    headers,
                    ttl=ttl,
                    content_encoding="aes128gcm",
                    timeout=aiohttp.ClientTimeout(total=limit),
                ),
                limit,
            )
        except (TimeoutError, aiohttp.ServerTimeoutError):
            return _Attempt(None, None, f"timeout after {limit:g} s", retriable=True)
        except aiohttp.ClientConnectorCertificateError as exc:
            return _Attempt(
                None, None, f"TLS certificate not trusted: {exc.certificate_error}", retriable=False
            )
        except aiohttp.InvalidURL as exc:
            return _Attempt(None, None, f"invalid endpoint URL: {exc}", retriable=False)
        except (WebPushException, http_ece.ECEException, ValueError) as exc:  # bad p256dh/auth keys
            message = getattr(exc, "message", None) or str(exc)
            return _Attempt(None, None, f"cannot encrypt for this subscription: {message}", retriable=False)
        except (aiohttp.ClientError, OSError) as exc:
            return _Attempt(None, None, f"connection error: {type(exc).__name__}: {exc}", retriable=True)
        assert isinstance(resp, aiohttp.ClientResponse)
        status = resp.status
        body = ""
        with contextlib.suppress(Exception):  # body already read by send_async; only for logs
            body = (await resp.text(errors="replace"))[:200]
        retry_after = parse_retry_after(resp.headers.get("Retry-After"))
        if 200 <= status < 300 or status in (401, 403, 404, 410):
            return _Attempt(status, retry_after, None, retriable=False, body=body)
        retriable = status in (408, 425, 429) or status >= 500
        if 300 <= status < 400:
            error = f"{status} unexpected redirect (not followed)"
        elif status == 413:
            error = f"413 payload too large for the push service: {body}"
        else:
            error = f"{status} {resp.reason or ''} {body}".strip()
        return _Attempt(status, retry_after, error, retriable=retriable, body=body)

    def held_for(self, origin: str) -> float:
        """Seconds this sender must still wait before sending to ``origin`` (0 when free)."""
        until = self._held_until.get(origin)
        if until is None:
            return 0.0
        left = until - self._clock()
        if left <= 0:
            self._held_until.pop(origin, None)
            return 0.0
        return left

    def _hold(self, origin: str, seconds: float) -> None:
        until = self._clock() + seconds
        if until > self._held_until.get(origin, 0.0):
            self._held_until[origin] = until
            logger.warning(
                "push: %s asked us to wait %.0f s (Retry-After); holding that origin", origin, seconds
            )

    def _backoff(self, failed_attempts: int, retry_after: float | None) -> float:
        """Delay before the next attempt: Retry-After when given, else full-jitter exponential."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.backoff_cap, self.backoff_base * (2 ** (failed_attempts - 1)))
        return self._random.uniform(0, ceiling)


def _result(
    sid: str,
    status: int | None,
    *,
    attempts: int,
    ok: bool = False,
    gone: bool = False,
    permanent: bool = False,
    auth_error: bool = False,
    retry_after: float | None = None,
    error: str | None = None,
    deferred: bool = False,
) -> PushResult:
    return PushResult(
        subscription_id=sid,
        status_code=status,
        ok=ok,
        gone=gone,
        permanent=permanent,
        auth_error=auth_error,
        retry_after=retry_after,
        attempts=attempts,
        error=error,
        deferred=deferred,
    )


__all__ = [
    "MAX_ENCRYPTED_BODY",
    "MAX_PAYLOAD_BYTES",
    "URGENCIES",
    "PinnedResolver",
    "PushMessage",
    "PushResult",
    "PushSender",
    "PushTarget",
    "encode_payload",
    "encrypted_size",
    "fit_payload",
    "make_topic",
    "parse_retry_after",
]
