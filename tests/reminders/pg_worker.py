"""Subprocess helper for the multi-process dispatcher test (not collected by pytest).

    python tests/reminders/pg_worker.py setup <subscriptions.json> <per_subscription>
    python tests/reminders/pg_worker.py work <go-file> <batch-size>

Both read DATABASE_URL / INSTANCE_PATH / VAPID_SUBJECT from the environment.
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from backend import create_app
from backend.extensions import db


def setup(subscriptions_file: str, per_subscription: int) -> None:
    from flask_migrate import upgrade

    from backend.models import Course, Patient, PushSubscription, ReminderOccurrence, ReminderRule

    app = create_app()
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        subs = json.loads(Path(subscriptions_file).read_text())
        for info in subs:
            patient = Patient()
            db.session.add(patient)
            db.session.flush()
            course = Course(
                patient_id=patient.id,
                start_date=date(2026, 1, 5),
                weight_kg=70,
                target_mg_per_kg=120,
                timezone="Europe/Berlin",
                product="standard",
                programme="eu_ppp",
                pregnancy_prevention=False,
                dose_plan=[
                    {"from_date": "2026-01-05", "daily_mg": 20, "doses_per_day": 1, "dose_times": ["08:00"]}
                ],
            )
            db.session.add(course)
            db.session.flush()
            rule = ReminderRule(
                patient_id=patient.id,
                course_id=course.id,
                kind="dose",
                slot=1,
                materialised_until=now + timedelta(days=30),
            )
            db.session.add(rule)
            db.session.add(
                PushSubscription(
                    patient_id=patient.id,
                    endpoint=info["endpoint"],
                    p256dh=info["keys"]["p256dh"],
                    auth=info["keys"]["auth"],
                )
            )
            db.session.flush()
            db.session.add_all(
                ReminderOccurrence(
                    id=str(uuid.uuid4()),
                    rule_id=rule.id,
                    patient_id=patient.id,
                    occurrence_key=f"k{i}",
                    kind="dose",
                    fires_at=now - timedelta(seconds=60 + i),
                    expires_at=now + timedelta(hours=1),
                    status="pending",
                    data={
                        "course_id": course.id,
                        "date": f"2026-03-{1 + i % 28:02d}",
                        "slot": 1,
                        "mg": 20,
                        "slots_today": 1,
                        "dose_time": "08:00",
                        "with_meal": True,
                    },
                )
                for i in range(per_subscription)
            )
        db.session.commit()


def work(go_file: str, batch_size: int) -> None:
    from backend.reminders.dispatch import node_name, run_tick

    app = create_app()
    deadline = time.time() + 30
    while not os.path.exists(go_file):  # start both workers at the same moment
        if time.time() > deadline:
            raise SystemExit("no go signal")
        time.sleep(0.01)
    claimed = sent = passes = 0
    idle = 0
    while idle < 3 and time.time() < deadline + 120:
        stats = run_tick(app, batch_size=batch_size, max_batches=1)
        passes += 1
        claimed += stats.claimed
        sent += stats.sent
        idle = idle + 1 if stats.claimed == 0 else 0
        if stats.claimed == 0:
            time.sleep(0.05)
    print(json.dumps({"node": node_name(), "claimed": claimed, "sent": sent, "passes": passes}))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "work":
        work(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
