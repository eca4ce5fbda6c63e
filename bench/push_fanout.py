"""Push fan-out benchmark: tutorial-style ``webpush()`` loop vs ``PushSender.send_many``.

Both run against the local push service (tests/support/push_service.py, in a child process) over
HTTPS with a throw-away test CA; the service verifies VAPID, decrypts every body and answers each
POST after ``--delay`` seconds (default 50 ms, roughly a real push service's latency).
Every run is checked: each message must be decrypted by the service exactly once, with no
verification failures.

    .venv/bin/python bench/push_fanout.py                # 200 naive, 10,000 via PushSender
    .venv/bin/python bench/push_fanout.py --messages 2000 --naive-messages 50

``run_sender_fanout(messages, service)`` is reusable (the dispatcher benchmark builds on it).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives.asymmetric import ec

from backend.push.sender import PushMessage, PushResult, PushSender, PushTarget, make_topic
from backend.push.vapid import VapidKeys
from tests.support.push_service import PushService, PushServiceProcess

Service = PushService | PushServiceProcess

SUBJECT = "mailto:push-bench@clearcourse.example.org"


@dataclass
class Run:
    label: str
    messages: int
    seconds: float
    results: list[PushResult] | None = None
    client_cpu: float | None = None  # CPU seconds used by this process during the run
    service_cpu: float | None = None  # CPU seconds used by the push service process, if known

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else float("inf")


def make_messages(service: Service, count: int, *, prefix: str = "m") -> list[PushMessage]:
    """``count`` messages, each to its own new subscription of ``service``."""
    messages = []
    for i, sub in enumerate(service.new_subscriptions(count)):
        target = PushTarget(
            subscription_id=service.subscription_id(sub),
            endpoint=sub["endpoint"],
            p256dh=sub["keys"]["p256dh"],
            auth=sub["keys"]["auth"],
        )
        payload = {"id": f"{prefix}{i}", "kind": "dose", "title": "Time for your capsule", "url": "/today"}
        messages.append(
            PushMessage(target, payload, ttl=3600, urgency="high", topic=make_topic(f"{prefix}{i}"))
        )
    return messages


def verify_exactly_once(service: Service, messages: Sequence[PushMessage]) -> None:
    """Raise AssertionError unless the service decrypted each message exactly once, and nothing else."""
    if service.failures:
        raise AssertionError(f"push service refused requests: {service.failures[:3]}")
    deliveries = service.deliveries()
    counts = Counter(d.subscription_id for d in deliveries)
    expected = {m.target.subscription_id: m.payload for m in messages}
    if (
        len(deliveries) != len(messages)
        or set(counts) != set(expected)
        or any(c != 1 for c in counts.values())
    ):
        dupes = sum(1 for c in counts.values() if c > 1)
        missing = len(set(expected) - set(counts))
        raise AssertionError(
            f"{len(deliveries)} deliveries for {len(messages)} messages: {dupes} dup, {missing} missing"
        )
    for d in deliveries:
        if d.payload != expected[d.subscription_id]:
            raise AssertionError(f"payload mismatch for {d.subscription_id}")


def run_sender_fanout(
    messages: Sequence[PushMessage],
    service: Service,
    *,
    vapid: VapidKeys | None = None,
    concurrency: int = 256,
    verify: bool = True,
) -> Run:
    """Send ``messages`` with one ``PushSender.send_many`` call; time it and (by default) verify."""
    vapid = vapid or VapidKeys(ec.generate_private_key(ec.SECP256R1()), SUBJECT)
    sender = PushSender(vapid, concurrency=concurrency, ca_bundle=service.ca_path)
    service.reset()
    service_cpu = _service_cpu(service)
    cpu = time.process_time()
    started = time.perf_counter()
    results = sender.send_many(messages)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    service_cpu = _cpu_delta(service, service_cpu)
    if not all(r.ok for r in results):
        bad = [r for r in results if not r.ok][:3]
        raise AssertionError(f"{sum(not r.ok for r in results)} messages failed, e.g. {bad}")
    if verify:
        verify_exactly_once(service, messages)
    label = f"PushSender.send_many ({concurrency} in flight)"
    return Run(label, len(messages), seconds, results, client_cpu=cpu, service_cpu=service_cpu)


def run_naive_loop(messages: Sequence[PushMessage], service: Service) -> Run:
    """What tutorials do: one ``pywebpush.webpush()`` call per message, in a loop."""
    from pywebpush import webpush

    key = ec.generate_private_key(ec.SECP256R1())
    private_key = base64.urlsafe_b64encode(key.private_numbers().private_value.to_bytes(32, "big")).decode()
    claims: dict = {"sub": SUBJECT}
    saved = os.environ.get("REQUESTS_CA_BUNDLE")
    if service.ca_path:
        os.environ["REQUESTS_CA_BUNDLE"] = service.ca_path
    service.reset()
    service_cpu = _service_cpu(service)
    cpu = time.process_time()
    try:
        started = time.perf_counter()
        for m in messages:
            webpush(
                subscription_info={
                    "endpoint": m.target.endpoint,
                    "keys": {"p256dh": m.target.p256dh, "auth": m.target.auth},
                },
                data=json.dumps(m.payload),
                vapid_private_key=private_key,
                vapid_claims=claims,
                ttl=m.ttl,
                timeout=10,
            )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    finally:
        if saved is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = saved
    verify_exactly_once(service, messages)
    return Run(
        "naive webpush() loop",
        len(messages),
        seconds,
        client_cpu=cpu,
        service_cpu=_cpu_delta(service, service_cpu),
    )


def _service_cpu(service: Service) -> float | None:
    reader = getattr(service, "cpu_seconds", None)
    return reader() if reader else None


def _cpu_delta(service: Service, before: float | None) -> float | None:
    after = _service_cpu(service)
    return None if before is None or after is None else after - before


def print_table(runs: Sequence[Run], baseline: Run) -> None:
    def ms(cpu: float | None, run: Run) -> str:
        return "-" if cpu is None else f"{cpu * 1000 / run.messages:.2f}"

    print(
        f"{'method':<40} {'messages':>9} {'seconds':>8} {'msg/s':>8} {'vs naive':>9}"
        f" {'sender CPU ms/msg':>18} {'service CPU ms/msg':>19}"
    )
    for run in runs:
        print(
            f"{run.label:<40} {run.messages:>9,} {run.seconds:>8.2f} {run.rate:>8.1f} "
            f"{run.rate / baseline.rate:>8.1f}x {ms(run.client_cpu, run):>18} {ms(run.service_cpu, run):>19}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--naive-messages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=256)
    parser.add_argument("--delay", type=float, default=0.05, help="service answer delay in seconds")
    args = parser.parse_args(argv)

    # The service runs in its own process: in-process it would share (and fight over) the GIL.
    with PushServiceProcess(tls=True, delay=args.delay) as service:
        print(f"local push service {service.origin} (TLS, test CA), answer delay {args.delay * 1000:.0f} ms")
        naive = run_naive_loop(make_messages(service, args.naive_messages, prefix="n"), service)
        fanout = run_sender_fanout(
            make_messages(service, args.messages), service, concurrency=args.concurrency
        )
        print("every message decrypted by the service exactly once; no verification failures\n")
        print_table([naive, fanout], naive)
        print(f"\n{os.cpu_count()} CPUs; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
