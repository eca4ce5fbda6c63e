"""A :class:`PushSender` in a child process of its own, behind the same ``submit_many`` interface.

Why: the dispatcher's claiming thread (database, payloads) and the sender's loop thread (TLS, HTTP,
aes128gcm) share one interpreter and one GIL when they live in one process, so every millisecond of
database work is a millisecond the sender is not sending, plus GIL hand-overs between the two threads
(bench/RESULTS.md §7a). With the sender in its own process the two run on two cores: the dispatcher
process claims, prepares and records; the child only encrypts and sends, like ``PushSender`` alone.

Protocol over one socket pair (``multiprocessing.connection.Connection``: length-prefixed pickles):

* parent → child: first the settings (VAPID key as PEM, subject, sender options); then
  ``(batch id, [PushMessage, …])`` per batch; ``None`` to close.
* child → parent: ``"ready"`` once its sender is built; then ``(batch id, [PushResult, …] | None,
  error text | None)`` per batch, in the order batches finish (batches share the child's one
  in-flight window, as in ``PushSender``).

The child is started with ``python -c`` and a few lines (``_CHILD_BOOT``) on the first batch, and again
after it died: not with ``multiprocessing``'s spawn, which would re-import the parent's ``__main__`` (the
whole web server, say), and with the ``backend`` package stubbed, so its ``__init__`` (the Flask app
factory and everything it imports) is not loaded: ``backend.push`` needs none of it (51 MB resident
instead of 93 MB). It ignores SIGINT and SIGTERM: the parent finishes its pass and then closes it; if
the parent dies instead, the child sees end-of-file, cancels what is in flight and exits. A batch
whose child died fails with :class:`SenderProcessDied` (the dispatcher then leaves those reminders to
their lease, as for any send it could not record).

Socket pairs are local to the machine and private to the two processes; the key travels only there.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import itertools
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization

from .sender import PushMessage, PushResult, PushSender
from .vapid import VapidKeys

logger = logging.getLogger(__name__)

#: Seconds :meth:`SenderProcess.close` waits for the child to finish closing before killing it.
CLOSE_TIMEOUT = 10.0
#: Seconds a new child may take to import, load the key and say it is ready.
START_TIMEOUT = 60.0
#: After a child failed to start, batches fail at once (the caller sends them another way) for this long.
RESTART_BACKOFF = 60.0


class SenderProcessDied(RuntimeError):
    """The sender's child process ended (or could not start) before answering this batch."""


def _project_root() -> str:
    return str(Path(__file__).resolve().parents[2])


#: The child's entry point (argv: project root, socket fd). Classes keep their names (`backend.push.…`),
#: so what is pickled on one side is found on the other.
_CHILD_BOOT = """
import sys, types
root, fd = sys.argv[1], int(sys.argv[2])
package = types.ModuleType("backend")
package.__path__ = [root + "/backend"]
sys.modules["backend"] = package
from backend.push.sender_process import child_main
child_main(fd)
"""


class SenderProcess:
    """``submit_many`` / ``send_many`` / ``close`` like :class:`PushSender`, sending from a child process.

    Thread-safe. The child starts lazily and is restarted after it died or after :meth:`close`.
    ``sender_options`` are passed to the child's ``PushSender`` (concurrency, timeout, ca_bundle, …).
    """

    def __init__(self, vapid: VapidKeys, **sender_options: Any) -> None:
        PushSender(vapid, **sender_options)  # validate the options here, in the caller's process
        self._settings = {
            "pem": vapid.private_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            "subject": vapid.subject,
            "options": sender_options,
        }
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._child: _Child | None = None
        self._retry_at = 0.0

    @property
    def pid(self) -> int | None:
        """The running child's process id (None before the first batch and after close)."""
        child = self._child
        return child.process.pid if child is not None and child.alive else None

    def start(self) -> int:
        """Start the child now instead of on the first batch (e.g. to fail early); returns its pid.

        Raises :class:`SenderProcessDied` when it cannot start (as :meth:`submit_many` does then).
        """
        with self._lock:
            return self._running().process.pid

    def submit_many(self, messages: Sequence[PushMessage]) -> concurrent.futures.Future[list[PushResult]]:
        """Hand ``messages`` to the child and return at once; the future holds the results (input order)."""
        future: concurrent.futures.Future[list[PushResult]] = concurrent.futures.Future()
        if not messages:
            future.set_result([])
            return future
        with self._lock:
            self._running().submit(next(self._ids), list(messages), future)
        return future

    def _running(self) -> _Child:
        """The live child (hold the lock): started lazily, again after it died, new after a fork.

        A child that failed to start is not tried again for RESTART_BACKOFF seconds, so a broken
        environment costs each batch nothing rather than a start-up timeout.
        """
        child = self._child
        if child is not None and child.alive and child.parent_pid == os.getpid():
            return child
        self._child = None
        if time.monotonic() < self._retry_at:
            raise SenderProcessDied("the push sender process failed to start recently; not retrying yet")
        try:
            self._child = _Child(self._settings)
        except SenderProcessDied:
            self._retry_at = time.monotonic() + RESTART_BACKOFF
            raise
        return self._child

    def send_many(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Blocking :meth:`submit_many`."""
        return self.submit_many(messages).result()

    def close(self) -> None:
        """Let the child finish closing its connections and exit; batches still pending fail. Idempotent."""
        with self._lock:
            child, self._child = self._child, None
        if child is not None and child.parent_pid == os.getpid():
            child.close()


class _Child:
    """One running child: its process, the parent's end of the socket pair, and the reader thread.

    Only its `SenderProcess` sends to it, under that object's lock (`close` after taking it out of use
    there), so sends never interleave; results are read by the reader thread alone.
    """

    def __init__(self, settings: dict) -> None:
        self.parent_pid = os.getpid()
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _CHILD_BOOT, _project_root(), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
            )
        except OSError as exc:
            ours.close()
            raise SenderProcessDied(f"could not start the push sender process: {exc}") from exc
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.pending: dict[int, concurrent.futures.Future[list[PushResult]]] = {}
        self.alive = True
        self._pending_lock = threading.Lock()
        try:
            self.conn.send(settings)
            if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != "ready":
                raise SenderProcessDied("the push sender process did not start in time")
        except (EOFError, OSError, SenderProcessDied) as exc:
            self._kill()
            self.process.wait()
            self.conn.close()
            self.alive = False
            raise SenderProcessDied(f"the push sender process did not start: {exc}") from exc
        self._reader = threading.Thread(target=self._read, name="push-sender-process-reader", daemon=True)
        self._reader.start()

    def submit(self, batch_id: int, messages: list[PushMessage], future: concurrent.futures.Future) -> None:
        with self._pending_lock:
            if not self.alive:
                future.set_exception(SenderProcessDied("the push sender process has ended"))
                return
            self.pending[batch_id] = future
        try:
            self.conn.send((batch_id, messages))
        except OSError as exc:
            self._fail_all(f"the push sender process has ended: {exc}")

    def _read(self) -> None:
        try:
            while True:
                batch_id, results, error = self.conn.recv()
                with self._pending_lock:
                    future = self.pending.pop(batch_id, None)
                if future is None or future.done():
                    continue
                if error is None:
                    future.set_result(results)
                else:
                    future.set_exception(SenderProcessDied(error))
        except (EOFError, OSError):
            pass
        except Exception:
            logger.exception("push sender process: unreadable answer; restarting it on the next batch")
            self._kill()
        self._fail_all(f"the push sender process ended (exit code {self.process.poll()})")

    def _fail_all(self, message: str) -> None:
        with self._pending_lock:
            self.alive = False
            pending, self.pending = self.pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(SenderProcessDied(message))

    def _kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()

    def close(self) -> None:
        with contextlib.suppress(OSError):  # the child may be gone already
            self.conn.send(None)
        try:
            self.process.wait(CLOSE_TIMEOUT)
        except subprocess.TimeoutExpired:
            logger.warning("push sender process %s did not close in time; killing it", self.process.pid)
            self._kill()
            self.process.wait()
        self._reader.join(CLOSE_TIMEOUT)
        self.conn.close()
        self._fail_all("the push sender was closed")


# -- the child -------------------------------------------------------------------------------------


def child_main(fd: int) -> None:
    """Serve batches from the parent on ``fd`` until it sends ``None`` or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop (see module doc)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s[sender %(process)d]: %(message)s")
    conn = Connection(fd)
    settings = conn.recv()
    key = serialization.load_pem_private_key(settings["pem"], password=None)
    sender = PushSender(VapidKeys(key, settings["subject"]), **settings["options"])  # type: ignore[arg-type]
    # Everything allocated so far lives as long as the process: keep the cyclic GC from re-scanning it.
    gc.collect()
    gc.freeze()
    conn.send("ready")
    reply_lock = threading.Lock()

    def reply(batch_id: int, future: concurrent.futures.Future) -> None:
        try:
            answer = (batch_id, future.result(), None)
        except BaseException as exc:  # every failure, cancellation included, is reported to the parent
            answer = (batch_id, None, f"{type(exc).__name__}: {exc}")
        try:
            with reply_lock:
                conn.send(answer)
        except OSError:
            pass  # the parent is gone; the read loop below ends on end-of-file

    try:
        while True:
            try:
                request = conn.recv()
            except (EOFError, OSError):
                break
            if request is None:
                break
            batch_id, messages = request
            sender.submit_many(messages).add_done_callback(lambda f, b=batch_id: reply(b, f))
    finally:
        sender.close()
        conn.close()
