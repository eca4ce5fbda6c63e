"""A course saved while the quiet hours change: both recomputes land, none is deferred or lost."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from backend.extensions import db
from backend.models import ReminderOccurrence, ReminderRule
from backend.services import reminders as service
from tests.conftest import course_body
from tests.reminders.remhelp import API, berlin_today


def _pending(patient_id: str) -> dict[str, object]:
    rows = db.session.execute(
        select(ReminderOccurrence.id, ReminderOccurrence.fires_at).where(
            ReminderOccurrence.patient_id == patient_id, ReminderOccurrence.status == "pending"
        )
    )
    return dict(rows.all())


def test_course_saved_while_settings_change_is_recomputed_with_the_final_settings(app, patient, monkeypatch):
    read_quiet_hours = service.quiet_hours

    def slow_quiet_hours(patient_id: str):
        hours = read_quiet_hours(patient_id)
        time.sleep(0.3)  # widen the window between reading the quiet hours and writing occurrences
        return hours

    monkeypatch.setattr(service, "quiet_hours", slow_quiet_hours)
    start = berlin_today().isoformat()
    plan = [{"from_date": start, "daily_mg": 40, "doses_per_day": 2, "dose_times": ["08:00", "20:00"]}]
    patient.create_course(start_date=start, dose_plan=plan)
    quiet = [{"quiet_start": "19:00", "quiet_end": "09:00"}, {"quiet_start": None, "quiet_end": None}]
    statuses: list[int] = []

    for round_ in range(4):
        barrier = threading.Barrier(2)

        def create_course(barrier: threading.Barrier = barrier) -> None:
            client = app.test_client()
            barrier.wait()
            body = course_body(start_date=start, dose_plan=plan)
            statuses.append(client.post(f"{API}/courses", json=body, headers=patient.headers).status_code)

        def change_settings(barrier: threading.Barrier = barrier, settings: dict = quiet[round_ % 2]) -> None:
            client = app.test_client()
            barrier.wait()
            response = client.put(f"{API}/reminders/settings", json=settings, headers=patient.headers)
            statuses.append(response.status_code)

        threads = [threading.Thread(target=create_course), threading.Thread(target=change_settings)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    assert sorted(statuses) == [200] * 4 + [201] * 4, statuses
    with app.app_context():
        deferred = db.session.scalars(
            select(ReminderRule.id).where(
                ReminderRule.patient_id == patient.id,
                ReminderRule.enabled.is_(True),
                ReminderRule.materialised_until.is_(None),
            )
        ).all()
        assert deferred == []  # no recompute was left to the next tick
        before = _pending(patient.id)
        assert before
        service.settings_changed(patient.id)  # recompute now, with the settings as committed
        assert _pending(patient.id) == before  # nothing was computed with stale quiet hours
