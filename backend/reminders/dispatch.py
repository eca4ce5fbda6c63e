"""The dispatcher: one pass = top up occurrences → claim due ones → fan out → send → record.

Claim: `UPDATE … WHERE id IN (SELECT id … ORDER BY fires_at LIMIT n FOR UPDATE SKIP LOCKED)
RETURNING id` — on PostgreSQL several dispatchers share the work without blocking each other; on
SQLite the same statement compiles without the lock clause and is atomic because SQLite serialises
writers. A claim is a lease (`claimed_until`): a dispatcher that dies after claiming loses it when
the lease runs out and the next pass takes the rows back, so a reminder is never lost (it may be
sent twice; the push `Topic` and the notification `tag` collapse the repeat).

Sending happens after the claim transaction has committed, with `submit_many` (retries and back-off
inside it) of the dispatcher's sender: by default a `SenderProcess`, a child process of its own
(PUSH_SENDER_PROCESS), else a `PushSender` thread in this process. Outcomes are recorded in a second
short transaction. Batches are
pipelined (see `run_tick`): the next batch is claimed and prepared while the current one sends.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections import deque
from collections.abc import Collection, Sequence
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

from flask import Flask, current_app
from sqlalchemy import ColumnElement, String, Text, and_, any_, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Row
from sqlalchemy.exc import InterfaceError, OperationalError

from backend.extensions import db
from backend.i18n import use_locale
from backend.models import (
    DoseLog,
    Patient,
    PushSubscription,
    ReminderDelivery,
    ReminderOccurrence,
    ReminderRule,
    patient_devices,
)
from backend.models.types import new_ids, utcnow
from backend.push import PushMessage, PushResult, PushSender, PushTarget, load_vapid, make_topic
from backend.push.sender_process import SenderProcess, SenderProcessDied
from backend.reminders import caregiver_nudges, push_alerts, texts
from backend.services import reminders as service

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
DEFAULT_MAX_BATCHES = 40
DEFAULT_LEASE_SECONDS = 300
DEFAULT_PIPELINE_DEPTH = 2
RETRY_LATER_SECONDS = 60
MAX_TTL_SECONDS = 24 * 3600
DOSE_KINDS = ("dose", "dose_followup")
#: Occurrences about one dose (data: course_id, date, slot): a logged dose cancels them.
ABOUT_A_DOSE = (*DOSE_KINDS, caregiver_nudges.NUDGE)
#: `Urgency: high` (RFC 8030 §5.3: time-critical): capsule reminders and the mood check-in, the
#: reminder that leads to help; everything else (visits, tests, refills) is `normal`.
HIGH_URGENCY = (*ABOUT_A_DOSE, "mood_checkin")


def urgency_for(kind: str) -> str:
    return "high" if kind in HIGH_URGENCY else "normal"


@dataclass
class TickStats:
    topped_up: int = 0
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    missed: int = 0
    cancelled: int = 0
    gone: int = 0
    retry_later: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def add(self, other: TickStats) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def node_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


def _sender_options(app: Flask) -> dict:
    return {
        "concurrency": app.config.get("PUSH_CONCURRENCY", 256),
        "timeout": app.config.get("PUSH_TIMEOUT_SECONDS", 10.0),
        "deadline": app.config.get("PUSH_DEADLINE_SECONDS", 30.0),
        "ca_bundle": app.config.get("PUSH_CA_BUNDLE"),
    }


def get_sender(app: Flask | None = None) -> PushSender:
    """The process's PushSender (VAPID keys loaded once), cached on the app."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    sender = app.extensions.get("clearcourse_push_sender")
    if sender is None:
        sender = PushSender(get_vapid(app), **_sender_options(app))
        app.extensions["clearcourse_push_sender"] = sender
    return sender


def get_dispatch_sender(app: Flask | None = None) -> PushSender | SenderProcess:
    """The dispatcher's sender: a `SenderProcess` (the sending on a core of its own) when
    PUSH_SENDER_PROCESS is on (the default outside tests), else the process's `get_sender`."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("PUSH_SENDER_PROCESS", False):
        return get_sender(app)
    sender = app.extensions.get("clearcourse_push_sender_process")
    if sender is None:
        sender = SenderProcess(get_vapid(app), **_sender_options(app))
        app.extensions["clearcourse_push_sender_process"] = sender
    return sender


def close_sender(app: Flask | None = None) -> None:
    """Close the app's cached senders (loop thread and connection pool; the sender process), if any."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    for name in ("clearcourse_push_sender", "clearcourse_push_sender_process"):
        sender = app.extensions.pop(name, None)
        if sender is not None:
            sender.close()


def get_vapid(app: Flask | None = None):
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    vapid = app.extensions.get("clearcourse_vapid")
    if vapid is None:
        vapid = load_vapid(
            app.config.get("VAPID_PRIVATE_KEY"), app.config.get("VAPID_SUBJECT"), app.instance_path
        )
        app.extensions["clearcourse_vapid"] = vapid
    return vapid


# -- claim -------------------------------------------------------------------------------------------------


def _on_postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _pg_array(values: Collection, item_type=None) -> ColumnElement:
    """`values` as one PostgreSQL array expression with a single bind parameter.

    Strings (our ids) travel as ONE comma-joined text, split by `string_to_array` on the server:
    psycopg dumps a Python list into an array literal element by element in Python, which cost more
    than the rest of the statement; one string is dumped in C. Strings that contain a comma, an empty
    string, and other types go as a bound ARRAY.
    """
    values = list(values)
    if item_type is None and all(type(v) is str for v in values):
        joined = ",".join(values)
        if joined.count(",") == len(values) - 1 and "" not in values:  # string_to_array('') is {}
            return func.string_to_array(literal(joined, Text), literal(",", Text))
    return literal(values, ARRAY(item_type or String))


def _among(column, values: Collection, pg: bool, item_type=None) -> ColumnElement[bool]:
    """`column IN values` with ONE bind parameter, whatever the number of values.

    An expanding `IN (…)` renders one bind parameter per value on every execution (SQLAlchemy work
    per value), and psycopg then re-parses that long, never-cached SQL text: most of the dispatcher's
    database CPU on PostgreSQL. On PostgreSQL: `column = ANY(<array>)`; on SQLite, for string ids:
    `column IN (SELECT value FROM json_each(:json))`. Also no bind-parameter limit to chunk for.
    """
    if pg:
        return column == any_(_pg_array(values, item_type))
    if item_type is None:
        ids = func.json_each(literal(json.dumps(list(values)), Text)).table_valued("value")
        return column.in_(select(ids.c.value))
    return column.in_(values)


class Claimed(NamedTuple):
    """A claimed occurrence as `_prepare` reads it (plain tuple: attribute access on a SQLAlchemy
    `Row` goes through `__getattr__`, ~0.8 µs each, and the per-message loop made ~20 of them)."""

    id: str
    rule_id: str
    patient_id: str
    kind: str
    data: dict | None
    fires_at: datetime
    expires_at: datetime
    attempts: int | None


#: What a claim returns per occurrence: everything `_prepare` needs, so it does not read the rows again.
CLAIMED_COLUMNS = Claimed._fields


def claim_due_rows(now: datetime, limit: int, lease: timedelta, node: str) -> list[Row]:
    """Claim up to `limit` due occurrences (expired leases first) and COMMIT.

    Returns the claimed rows (`CLAIMED_COLUMNS`, from the UPDATE's RETURNING).
    """
    occ = ReminderOccurrence
    returning = [getattr(occ, name) for name in CLAIMED_COLUMNS]
    claimed: list[Row] = []
    for condition, order in (
        (and_(occ.status == "claimed", occ.claimed_until < now), occ.claimed_until),
        (and_(occ.status == "pending", occ.fires_at <= now), occ.fires_at),
    ):
        room = limit - len(claimed)
        if room <= 0:
            break
        # A MATERIALIZED CTE: PostgreSQL may re-run an `IN (SELECT … LIMIT … FOR UPDATE SKIP LOCKED)`
        # subquery during the UPDATE and claim far more than `room` rows; the CTE runs once.
        due = (
            select(occ.id)
            .where(condition)
            .order_by(order)
            .limit(room)
            .with_for_update(skip_locked=True)
            .cte(f"due_{len(claimed)}")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        claimed.extend(
            db.session.execute(
                update(occ)
                .where(occ.id.in_(select(due.c.id)), condition)
                .values(
                    status="claimed", claimed_until=now + lease, claimed_by=node, attempts=occ.attempts + 1
                )
                .returning(*returning)
                .execution_options(synchronize_session=False)
            ).all()
        )
    db.session.commit()
    return claimed


def claim_due(now: datetime, limit: int, lease: timedelta, node: str) -> list[str]:
    """Claim up to `limit` due occurrences (expired leases first) and COMMIT. Returns their ids."""
    return [row.id for row in claim_due_rows(now, limit, lease, node)]


# -- prepare (inside a transaction) --------------------------------------------------------------------------


def _logged_doses(occurrences: Sequence[Claimed], pg: bool) -> set[tuple[str, str, int]]:
    """(course_id, date, slot) of the claimed dose reminders that are already logged (one query)."""
    wanted = {
        (o.data.get("course_id"), o.data.get("date"), o.data.get("slot"))
        for o in occurrences
        if o.kind in ABOUT_A_DOSE and o.data and "date" in o.data and "slot" in o.data
    }
    if not wanted:
        return set()
    courses = {c for c, _, _ in wanted}
    days = {date.fromisoformat(d) for _, d, _ in wanted}
    rows = db.session.execute(
        select(DoseLog.course_id, DoseLog.date, DoseLog.slot).where(
            _among(DoseLog.course_id, courses, pg), _among(DoseLog.date, days, pg, DoseLog.date.type)
        )
    )
    return {(c, d.isoformat(), slot) for c, d, slot in rows} & wanted


@dataclass
class Batch:
    """One claimed batch on its way through the pipeline: what to send and which row each message is."""

    occurrence_ids: list[str]  # occurrences with deliveries to send (recorded after sending)
    messages: list[PushMessage] = field(default_factory=list)
    keys: list[tuple[str, str, str]] = field(default_factory=list)  # (delivery id, occurrence id, sub id)
    results: Future[list[PushResult]] | None = None


def _prepare(ids: Sequence[str] | Sequence[Row], now: datetime, stats: TickStats) -> Batch:
    """Decide each claimed occurrence (send / missed / cancelled), fan out deliveries, build messages.

    `ids`: the claimed occurrence ids, or the rows `claim_due_rows` returned (then they are not read
    again). Commits. Reads columns, not ORM objects (this is the dispatcher's per-message hot path);
    the rare outcomes (cancelled, missed, failed) go through the ORM. Returns the batch to send: one
    message per pending delivery (new ones, and pending ones left by an earlier, interrupted pass;
    deliveries already sent or failed are not sent again).
    """
    occ, sub, dlv = ReminderOccurrence, PushSubscription, ReminderDelivery
    pg = _on_postgres()
    if ids and isinstance(ids[0], str):
        ids = db.session.execute(
            select(*(getattr(occ, name) for name in CLAIMED_COLUMNS)).where(_among(occ.id, ids, pg))
        ).all()
    occurrences = [Claimed(*row) for row in ids]
    enabled = {
        rule_id
        for rule_id, on in db.session.execute(
            select(ReminderRule.id, ReminderRule.enabled).where(
                _among(ReminderRule.id, {o.rule_id for o in occurrences}, pg)
            )
        )
        if on
    }
    subs_by_patient: dict[str, list[PushTarget]] = {}
    language_of: dict[str, str | None] = {}  # each patient's texts in their stored language
    for sub_id, patient_id, endpoint, p256dh, auth, language in db.session.execute(
        select(sub.id, sub.patient_id, sub.endpoint, sub.p256dh, sub.auth, Patient.language)
        .join(Patient, Patient.id == sub.patient_id)
        .where(_among(sub.patient_id, {o.patient_id for o in occurrences}, pg), patient_devices())
    ):
        subs_by_patient.setdefault(patient_id, []).append(PushTarget(sub_id, endpoint, p256dh, auth))
        language_of[patient_id] = language
    # Caregivers' nudges go to the caregivers' phones, not the patient's.
    nudges = [o for o in occurrences if o.kind == caregiver_nudges.NUDGE]
    nudge_targets: dict[str, list[caregiver_nudges.NudgeTarget]] = {}
    for target in caregiver_nudges.targets_for({(o.data or {}).get("course_id") for o in nudges} - {None}):
        nudge_targets.setdefault(target.course_id, []).append(target)
    held: list[dict] = []
    # Deliveries exist only for an occurrence prepared by an earlier claim (attempts > 1): a pass
    # that died, a lease that ran out, a retry. A first claim has none, so no query for it.
    reclaimed = [o.id for o in occurrences if (o.attempts or 0) > 1]
    existing: dict[tuple[str, str], tuple[str, str]] = {}
    if reclaimed:
        existing = {
            (o, s): (d, status)
            for d, o, s, status in db.session.execute(
                select(dlv.id, dlv.occurrence_id, dlv.subscription_id, dlv.status).where(
                    _among(dlv.occurrence_id, reclaimed, pg)
                )
            )
        }
    sent_before = {o for (o, _), (_, status) in existing.items() if status == "sent"}
    logged = _logged_doses(occurrences, pg)
    finishes: dict[str, tuple[str, str | None]] = {}  # occurrence id -> (status, error): the rare path
    expired: list[str] = []
    batch = Batch(occurrence_ids=[])
    fresh_ids = new_ids(
        sum(len(subs_by_patient.get(o.patient_id, ())) for o in occurrences)
        + sum(len(nudge_targets.get((o.data or {}).get("course_id"), ())) for o in nudges)
    )
    new_deliveries: list[dict] = []
    for o in occurrences:
        if o.rule_id not in enabled:  # turned off, or the rule is gone
            finishes[o.id] = ("cancelled", "reminder turned off")
            stats.cancelled += 1
            continue
        data = o.data or {}
        if (data.get("course_id"), data.get("date"), data.get("slot")) in logged:
            finishes[o.id] = ("cancelled", "dose already logged")
            stats.cancelled += 1
            continue
        if now > o.expires_at:
            if o.id in sent_before:
                finishes[o.id] = ("sent", None)
            else:
                error = f"not sent within its grace window (due {o.fires_at.isoformat()})"
                finishes[o.id] = ("missed", error)
                stats.missed += 1
            expired.append(o.id)
            continue
        if o.kind == caregiver_nudges.NUDGE:
            targets = [
                t
                for t in nudge_targets.get(data.get("course_id"), [])
                if data.get("caregiver_id") in (None, t.caregiver_id)  # a held nudge: its caregiver only
            ]
            targets, later = caregiver_nudges.split(o.fires_at, data, o.rule_id, o.patient_id, targets, now)
            held.extend(later)
            languages = [(t.target, t.language) for t in targets]
            if not languages:
                finishes[o.id] = ("cancelled", "held for quiet hours" if later else "no caregiver to nudge")
                stats.cancelled += 1
                continue
        else:
            language = language_of.get(o.patient_id)
            languages = [(target, language) for target in subs_by_patient.get(o.patient_id, [])]
            if not languages:
                finishes[o.id] = ("failed", "no push subscription")
                stats.failed += 1
                continue
        batch.occurrence_ids.append(o.id)
        payloads: dict[str | None, dict] = {}
        for language in {language for _, language in languages}:
            with use_locale(language):
                payloads[language] = texts.payload(
                    kind=o.kind,
                    data=data,
                    occurrence_id=o.id,
                    reminder_id=o.rule_id,
                    tag=data.get("snoozed_from") or o.id,
                )
        ttl = int(min(MAX_TTL_SECONDS, max(60, (o.expires_at - now).total_seconds())))
        urgency = urgency_for(o.kind)
        topic = make_topic(o.id)
        for target, language in languages:
            payload = payloads[language]
            delivery_id, status = existing.get((o.id, target.subscription_id), (None, "pending"))
            if status != "pending":
                continue  # sent or failed by an earlier pass: never again
            if delivery_id is None:
                delivery_id = fresh_ids.pop()
                new_deliveries.append(
                    {
                        "id": delivery_id,
                        "occurrence_id": o.id,
                        "subscription_id": target.subscription_id,
                        "status": "pending",
                        "attempts": 0,
                        "created_at": now,
                    }
                )
            batch.messages.append(
                PushMessage(
                    target=target,
                    payload=payload,
                    ttl=ttl,
                    urgency=urgency,
                    topic=topic,
                )
            )
            batch.keys.append((delivery_id, o.id, target.subscription_id))
    service.insert_occurrences(held)
    inserted = _insert_deliveries(new_deliveries, now, pg)
    if len(inserted) < len(new_deliveries):
        _adopt_existing(batch, {d["id"] for d in new_deliveries} - inserted)
    if finishes:
        for row in db.session.scalars(select(occ).where(_among(occ.id, finishes, pg))):
            _finish(row, *finishes[row.id])
        for occurrence_id in expired:
            _fail_pending_deliveries(occurrence_id, "expired before it could be sent")
    db.session.commit()
    return batch


def _adopt_existing(batch: Batch, lost: set[str]) -> None:
    """Some new delivery rows already existed (the same claim prepared twice): use the stored rows.

    Messages whose stored delivery is no longer pending are dropped; the rest take the stored id.
    """
    dlv = ReminderDelivery
    occurrence_ids = {occ_id for delivery_id, occ_id, _ in batch.keys if delivery_id in lost}
    stored = {
        (o, s): (d, status)
        for d, o, s, status in db.session.execute(
            select(dlv.id, dlv.occurrence_id, dlv.subscription_id, dlv.status).where(
                _among(dlv.occurrence_id, occurrence_ids, _on_postgres())
            )
        )
    }
    keys, messages = [], []
    for (delivery_id, occ_id, sub_id), message in zip(batch.keys, batch.messages, strict=True):
        if delivery_id in lost:
            delivery_id, status = stored.get((occ_id, sub_id), (None, "gone"))
            if status != "pending":
                continue
        keys.append((delivery_id, occ_id, sub_id))
        messages.append(message)
    batch.keys, batch.messages = keys, messages


def _insert_deliveries(rows: list[dict], now: datetime, pg: bool) -> set[str]:
    """Insert new pending delivery rows, skipping any that exist; returns the ids actually inserted.

    The unique (occurrence_id, subscription_id) + ON CONFLICT DO NOTHING keeps a re-prepared claim
    idempotent. The row count tells whether every row is new (the common case: no RETURNING rows to
    fetch); only when some were skipped are the new ids read back (they are fresh random ids, so any
    found is ours). Core (the table), not the ORM: no per-row ORM bookkeeping on the hot path.
    """
    if not rows:
        return set()
    table = ReminderDelivery.__table__
    ids = [r["id"] for r in rows]
    if pg:
        from sqlalchemy.dialects.postgresql import insert

        # One statement with three array parameters (`unnest`), whatever the batch size: no bind
        # parameter limit, and a fixed SQL text. "insertmanyvalues" would render 6 parameters per
        # row into a new statement text per page, which psycopg re-parses each time (the most
        # expensive step of a dispatcher pass on PostgreSQL before this).
        columns = ("id", "occurrence_id", "subscription_id")
        new = (
            func.unnest(*(_pg_array([r[c] for r in rows]) for c in columns))
            .table_valued(*columns)
            .render_derived()
        )
        statement = insert(table).from_select(
            [*columns, "status", "attempts", "created_at"],
            select(
                *(new.c[c] for c in columns),
                literal("pending", String),
                literal(0),
                literal(now, table.c.created_at.type),
            ),
        )
        inserted = db.session.execute(
            statement.on_conflict_do_nothing(index_elements=["occurrence_id", "subscription_id"])
        ).rowcount
    else:
        from sqlalchemy.dialects.sqlite import insert

        # A list of rows, not `.values(rows)`: `.values()` compiles 6 bind parameters per delivery
        # into ONE statement, past SQLite's common 32,766 limit at ~5,400 rows; a list without
        # RETURNING is the driver's executemany (one prepared statement, a loop in C).
        inserted = db.session.execute(
            insert(table).on_conflict_do_nothing(index_elements=["occurrence_id", "subscription_id"]), rows
        ).rowcount
    if inserted == len(ids):
        return set(ids)
    return {
        found
        for chunk in _chunks(ids)
        for found in db.session.scalars(select(table.c.id).where(_among(table.c.id, chunk, pg)))
    }


def _finish(occ: ReminderOccurrence, status: str, error: str | None, sent_at: datetime | None = None) -> None:
    occ.status = status
    occ.claimed_until = None
    occ.last_error = error[:255] if error else None
    if sent_at is not None:
        occ.sent_at = sent_at


def _fail_pending_deliveries(occurrence_id: str, error: str) -> None:
    db.session.execute(
        update(ReminderDelivery)
        .where(ReminderDelivery.occurrence_id == occurrence_id, ReminderDelivery.status == "pending")
        .values(status="failed", error=error)
        .execution_options(synchronize_session=False)
    )


# -- send + record -----------------------------------------------------------------------------------------


def record_result(
    sub: PushSubscription | None, result: PushResult, now: datetime, stats: TickStats | None = None
) -> str:
    """Apply one push outcome to the subscription; returns the delivery status (sent/failed/pending/gone)."""
    if sub is None:
        return "failed"
    if result.deferred:  # never sent (the push service asked us to wait): nothing learnt about it
        return "pending"
    sub.last_status = result.status_code
    if result.ok:
        sub.last_success_at = now
        sub.failure_count = 0
        sub.last_error = None
        return "sent"
    sub.last_failure_at = now
    sub.failure_count = (sub.failure_count or 0) + 1
    sub.last_error = (result.error or "")[:255] or None
    if result.gone:
        log.info("push subscription %s is gone (%s); deleting it", sub.id, result.status_code)
        db.session.delete(sub)
        if stats is not None:
            stats.gone += 1
        return "gone"
    if result.auth_error:
        log.error(
            "push service refused our VAPID authorization for subscription %s: %s", sub.id, result.error
        )
        return "failed"
    if result.permanent:
        return "failed"
    return "pending"  # transient, retries exhausted: try again on a later pass while still useful


#: Ids per `WHERE id IN (…)` in the record step: far below every engine's bind-parameter limit
#: (PostgreSQL 65,535; SQLite 32,766, or 999 before 3.32).
ID_CHUNK = 900


def _chunks(ids: list[str], size: int | None = None) -> list[list[str]]:
    size = size or ID_CHUNK
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _record_subscriptions(
    sub_ids: list[str], results: list[PushResult], after: datetime, stats: TickStats, pg: bool = False
) -> list[str]:
    """Apply the push outcomes to the subscriptions; returns each result's delivery outcome, in order.

    A subscription whose every result in this batch is a 2xx (the common case) is updated set-based:
    one `UPDATE push_subscriptions … WHERE id IN (…)` per status code and chunk, exactly what
    `record_result` would set. Any other subscription (a failure, gone, a retry — alone or mixed with
    successes) is loaded and goes through `record_result` result by result, in order, as before.
    """
    positions: dict[str, list[int]] = {}
    for i, sub_id in enumerate(sub_ids):
        positions.setdefault(sub_id, []).append(i)
    outcomes = ["failed"] * len(results)  # a subscription deleted meanwhile: as record_result(None, …)
    ok_by_code: dict[int | None, list[str]] = {}
    others: list[str] = []
    for sub_id, where in positions.items():
        if all(results[i].ok for i in where):
            ok_by_code.setdefault(results[where[-1]].status_code, []).append(sub_id)  # last one wins
        else:
            others.append(sub_id)
    for code, ids in ok_by_code.items():
        for chunk in _chunks(ids):
            count = db.session.execute(
                update(PushSubscription)
                .where(_among(PushSubscription.id, chunk, pg))
                .values(last_status=code, last_success_at=after, failure_count=0, last_error=None)
                .execution_options(synchronize_session=False)
            ).rowcount
            updated = chunk
            if count != len(chunk):  # some were deleted meanwhile: which ones are left (rows now ours)
                updated = db.session.scalars(
                    select(PushSubscription.id).where(_among(PushSubscription.id, chunk, pg))
                ).all()
            for sub_id in updated:
                for i in positions[sub_id]:
                    outcomes[i] = "sent"
    for chunk in _chunks(others):
        subs = {
            s.id: s
            for s in db.session.scalars(
                select(PushSubscription).where(_among(PushSubscription.id, chunk, pg))
            )
        }
        for sub_id in chunk:
            for i in positions[sub_id]:
                outcomes[i] = record_result(subs.get(sub_id), results[i], after, stats)
    return outcomes


def _record(batch: Batch, results: list[PushResult], now: datetime, stats: TickStats) -> None:
    """Apply a sent batch's outcomes to subscriptions, deliveries and occurrences. Commits."""
    occurrence_ids, keys = batch.occurrence_ids, batch.keys
    after = max(utcnow(), now)
    pg = _on_postgres()
    outcomes = _record_subscriptions([sub_id for _, _, sub_id in keys], results, after, stats, pg)
    push_alerts.record(batch.messages, results, after)
    retry_in: dict[str, float] = {}
    groups: dict[tuple, list[str]] = {}  # same new values → one UPDATE … WHERE id IN (…)
    for (delivery_id, occ_id, _), result, outcome in zip(keys, results, outcomes, strict=True):
        if outcome == "gone":
            continue  # the delivery row goes with the subscription (ON DELETE CASCADE)
        if outcome == "pending":
            retry_in[occ_id] = max(retry_in.get(occ_id, 0.0), result.retry_after or RETRY_LATER_SECONDS)
        status = outcome if outcome in ("sent", "failed") else "pending"
        error = (result.error or "")[:255] or None
        groups.setdefault((status, result.status_code, result.attempts, error), []).append(delivery_id)
    for (status, status_code, attempts, error), delivery_ids in groups.items():
        values: dict = {
            "status": status,
            "status_code": status_code,
            "attempts": ReminderDelivery.attempts + attempts,
            "error": error,
        }
        if status == "sent":
            values["sent_at"] = after
        for chunk in _chunks(delivery_ids):
            db.session.execute(
                update(ReminderDelivery)
                .where(_among(ReminderDelivery.id, chunk, pg))
                .values(**values)
                .execution_options(synchronize_session=False)
            )
    db.session.flush()

    # Which occurrences have a sent delivery: those sent in this batch, plus, read back only for the
    # rest, any sent by an earlier pass (the common all-sent batch needs no query).
    statuses: dict[str, set[str]] = {}
    for (_, occ_id, _), outcome in zip(keys, outcomes, strict=True):
        if outcome == "sent":
            statuses.setdefault(occ_id, set()).add("sent")
    unknown = [o for o in occurrence_ids if o not in statuses]
    for chunk in _chunks(unknown):
        for occ_id, status in db.session.execute(
            select(ReminderDelivery.occurrence_id, ReminderDelivery.status).where(
                _among(ReminderDelivery.occurrence_id, chunk, pg)
            )
        ):
            statuses.setdefault(occ_id, set()).add(status)
    # Fully sent and not waiting for a retry (the common case): one set-based UPDATE per chunk.
    done = [o for o in occurrence_ids if o not in retry_in and "sent" in statuses.get(o, ())]
    for chunk in _chunks(done):
        stats.sent += db.session.execute(
            update(ReminderOccurrence)
            .where(_among(ReminderOccurrence.id, chunk, pg))
            .values(status="sent", sent_at=after, claimed_until=None, last_error=None)
            .execution_options(synchronize_session=False)
        ).rowcount
    # The rest (retry later, partly retrying, nothing accepted) through the ORM, one by one.
    done_set = set(done)
    rest = [o for o in occurrence_ids if o not in done_set]
    for chunk in _chunks(rest):
        for occ in db.session.scalars(
            select(ReminderOccurrence).where(_among(ReminderOccurrence.id, chunk, pg))
        ):
            if occ.id in retry_in and now + timedelta(seconds=retry_in[occ.id]) < occ.expires_at:
                # Keep the claim; it runs out when the retry is due and a later pass takes it back.
                occ.claimed_until = now + timedelta(seconds=retry_in[occ.id])
                stats.retry_later += 1
                continue
            if "sent" in statuses.get(occ.id, set()):
                _finish(occ, "sent", None, sent_at=after)
                stats.sent += 1
            else:
                _fail_pending_deliveries(occ.id, "gave up")
                _finish(occ, "failed", "no device accepted the reminder")
                stats.failed += 1
    db.session.commit()


def run_tick(
    app: Flask | None = None,
    *,
    now: datetime | None = None,
    sender: PushSender | SenderProcess | None = None,
    batch_size: int | None = None,
    max_batches: int | None = None,
    node: str | None = None,
    depth: int | None = None,
) -> TickStats:
    """One dispatcher pass. Needs an app context (pass `app` to get one).

    A pipeline: while batch N is on the wire (the sender's loop thread), this thread claims and
    prepares batch N+1 and submits it, so its messages queue behind N's in the sender's one in-flight
    window and take each slot N frees; finished batches are recorded as soon as they complete, while
    later ones keep sending. At most `depth` batches are claimed and not yet recorded at any time
    (REMINDER_PIPELINE_DEPTH, default 2), which bounds the rows held under lease by this process.
    """
    if app is not None:
        with app.app_context():
            return run_tick(
                now=now, sender=sender, batch_size=batch_size, max_batches=max_batches, node=node, depth=depth
            )
    config = current_app.config
    now = now or utcnow()
    batch_size = batch_size or config.get("REMINDER_BATCH_SIZE", DEFAULT_BATCH_SIZE)
    max_batches = max_batches or config.get("REMINDER_MAX_BATCHES", DEFAULT_MAX_BATCHES)
    depth = max(1, depth or config.get("REMINDER_PIPELINE_DEPTH", DEFAULT_PIPELINE_DEPTH))
    lease = timedelta(seconds=config.get("REMINDER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))
    node = node or node_name()
    stats = TickStats()
    in_flight: deque[Batch] = deque()
    try:
        stats.topped_up = service.top_up(now)
        claimed_batches = 0
        more = True
        while more or in_flight:
            while in_flight and in_flight[0].results is not None and in_flight[0].results.done():
                _finish_batch(in_flight.popleft(), now, stats)  # done already: record without waiting
            if more and len(in_flight) < depth:
                rows = claim_due_rows(now, batch_size, lease, node)
                claimed_batches += 1
                more = len(rows) == batch_size and claimed_batches < max_batches
                if not rows:
                    continue
                stats.claimed += len(rows)
                batch = _prepare(rows, now, stats)
                if batch.occurrence_ids:
                    batch.results = _submit(sender or get_dispatch_sender(), batch.messages)
                    in_flight.append(batch)
            elif in_flight:
                _finish_batch(in_flight.popleft(), now, stats)  # wait for the oldest batch
    finally:
        # Whatever happened above, the batches already on the wire are recorded when they land:
        # a delivery sent and not recorded would be sent again once its lease runs out.
        if in_flight:
            db.session.rollback()  # whatever the failure left half-done in the session
        while in_flight:
            try:
                _finish_batch(in_flight.popleft(), now, stats)
            except Exception:
                db.session.rollback()
                log.exception("reminder tick: recording a sent batch failed; its leases will run out")
        db.session.remove()
    if stats.claimed:
        log.info("reminder tick: %s", stats.as_dict())
    return stats


def _submit(sender: PushSender | SenderProcess, messages: list[PushMessage]) -> Future[list[PushResult]]:
    """Hand a batch to the sender; if the sender process cannot start, send from this process instead."""
    try:
        return sender.submit_many(messages)
    except SenderProcessDied as exc:
        log.warning("push sender process unavailable (%s); sending this batch from this process", exc)
        return get_sender().submit_many(messages)


def _finish_batch(batch: Batch, now: datetime, stats: TickStats, patience: float | None = None) -> None:
    """Wait for a batch's results and record them; ride out a database outage of up to `patience` s.

    The results of a sent batch exist only in this process: if recording fails because the database
    went away (a restart, a fail-over, a dropped connection), we roll back and try again, so the
    deliveries are not sent a second time when their leases run out. Other batches keep sending
    meanwhile. Default patience: half the lease.
    """
    assert batch.results is not None
    results = batch.results.result()
    if patience is None:
        patience = current_app.config.get("REMINDER_LEASE_SECONDS", DEFAULT_LEASE_SECONDS) / 2
    deadline = time.monotonic() + patience
    delay = 0.25
    while True:
        attempt = TickStats()
        try:
            _record(batch, results, now, attempt)
        except (OperationalError, InterfaceError) as exc:
            db.session.rollback()
            if time.monotonic() + delay > deadline:
                raise
            log.warning("recording %d results failed (%s); retrying in %.2f s", len(results), exc.orig, delay)
            time.sleep(delay)
            delay = min(delay * 2, 5.0)
            continue
        stats.add(attempt)
        return
