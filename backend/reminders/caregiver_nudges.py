"""Who gets a caregiver nudge, and when: each caregiver's quiet hours (a DB read, then a pure rule).

The nudge ("a dose hasn't been ticked an hour after its time") is one occurrence per dose of the
course's hidden `caregivers` rule; the dispatcher claims it once, whatever the number of workers, and
fans it out here to each caregiver phone whose nudge is on and allowed by the patient.

Quiet hours (the parent's rule): a nudge that falls inside a caregiver's quiet hours is held until
they end and sent then only if the dose is still unticked — unless by then the next dose is nearer
than the one it is about (the same rule as the patient's own follow-up, DOSE-8 / DOSE-11), in which
case it is dropped. The held nudge is a one-off occurrence for that caregiver alone (key
`<date>:<slot>:<caregiver id>`, unique), so it too is sent once.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.extensions import db
from backend.models import Caregiver, Course, PushSubscription
from backend.push import PushTarget
from backend.reminders.occurrences import GRACE
from backend.reminders.schedule import QuietHours, resolve_local

NUDGE = "caregiver_nudge"
JOINED = "caregiver_joined"


@dataclass(frozen=True)
class NudgeTarget:
    caregiver_id: str
    course_id: str
    target: PushTarget
    language: str | None
    quiet: QuietHours | None
    timezone: str


def held_until(
    fires_local: datetime, quiet: QuietHours | None, due: datetime | None, next_due: datetime | None
) -> datetime | bool | None:
    """The caregiver's decision for a nudge due at `fires_local` (naive, course time).

    True: send now. A naive local datetime: hold it until then (the end of quiet hours). None: drop it
    (held past the midpoint between the dose and the next one).
    """
    if quiet is None or not quiet.contains(fires_local.time()):
        return True
    until = quiet.shift(fires_local)
    if due is not None and next_due is not None and until - due >= (next_due - due) / 2:
        return None
    return until


def targets_for(course_ids: Collection[str], caregiver_ids: Collection[str] = ()) -> list[NudgeTarget]:
    """The caregiver phones that take a nudge for these courses: nudge on, allowed by the patient, a
    push subscription registered (a removed caregiver has none: its rows are gone)."""
    if not course_ids:
        return []
    query = (
        select(
            Caregiver.id,
            Caregiver.course_id,
            Caregiver.language,
            Caregiver.quiet_start,
            Caregiver.quiet_end,
            Course.timezone,
            PushSubscription.id,
            PushSubscription.endpoint,
            PushSubscription.p256dh,
            PushSubscription.auth,
        )
        .join(PushSubscription, PushSubscription.caregiver_id == Caregiver.id)
        .join(Course, Course.id == Caregiver.course_id)
        .where(
            Caregiver.course_id.in_(list(course_ids)),
            Caregiver.nudge.is_(True),
            Caregiver.nudge_allowed.is_(True),
        )
    )
    if caregiver_ids:
        query = query.where(Caregiver.id.in_(list(caregiver_ids)))
    return [
        NudgeTarget(
            caregiver_id,
            course_id,
            PushTarget(sub_id, endpoint, p256dh, auth),
            language,
            QuietHours(start, end) if start is not None and end is not None else None,
            timezone,
        )
        for (caregiver_id, course_id, language, start, end, timezone, sub_id, endpoint, p256dh, auth) in (
            db.session.execute(query)
        )
    ]


def _local(iso: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def split(
    fires_at: datetime, data: dict, rule_id: str, patient_id: str, targets: list[NudgeTarget], now: datetime
) -> tuple[list[NudgeTarget], list[dict]]:
    """(the caregivers to nudge now, the held one-off occurrence rows to insert) for one nudge."""
    send, held = [], []
    for target in targets:
        fires_local = fires_at.astimezone(ZoneInfo(target.timezone)).replace(tzinfo=None)
        decision = held_until(
            fires_local, target.quiet, _local(data.get("due")), _local(data.get("next_due"))
        )
        if decision is True:
            send.append(target)
        elif isinstance(decision, datetime):
            fires = max(resolve_local(decision, target.timezone), now)
            held.append(
                {
                    "id": str(uuid.uuid4()),
                    "rule_id": rule_id,
                    "patient_id": patient_id,
                    "occurrence_key": f"{data.get('date')}:{data.get('slot')}:{target.caregiver_id}",
                    "kind": NUDGE,
                    "fires_at": fires,
                    "expires_at": fires + GRACE[NUDGE],
                    "status": "pending",
                    "attempts": 0,
                    "data": {**data, "caregiver_id": target.caregiver_id, "held": True},
                    "one_off": True,
                    "created_at": now,
                }
            )
    return send, held
