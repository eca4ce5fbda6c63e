"""A patient's day under load (Locust): open Today, tick doses, look at the Timeline and the reminders.

Each simulated patient owns one course (made beforehand by ``bench/load_day.py`` and handed over in
``LOAD_PATIENTS``, a JSON file of ``[{"token", "course_id", "start"}]``) and repeats, with think time
between steps (``LOAD_THINK_MIN``..``LOAD_THINK_MAX`` seconds, default 2..6):

    open Today -> tick the next dose -> open Today again -> Timeline -> reminders list -> upcoming reminders

A tick logs one dose (a new client-made id, walking back one slot at a time from today, so every write
is a new dose, never a 409). Requests are named by route, not by id, so the report has one row per
endpoint. Run through ``bench/load_day.py``; by hand:

    LOAD_PATIENTS=patients.json .venv/bin/locust -f bench/locustfile.py --headless -u 200 -r 5 -t 2m \\
        --host http://127.0.0.1:8000
"""

from __future__ import annotations

import itertools
import json
import os
import threading
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from locust import HttpUser, between, task
from locust.exception import StopUser

_PATIENTS = (
    json.loads(Path(os.environ["LOAD_PATIENTS"]).read_text()) if os.environ.get("LOAD_PATIENTS") else []
)
_NEXT = itertools.count()
_LOCK = threading.Lock()
THINK = (float(os.environ.get("LOAD_THINK_MIN", "2")), float(os.environ.get("LOAD_THINK_MAX", "6")))


class Patient(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        with _LOCK:
            index = next(_NEXT)
        if index >= len(_PATIENTS):
            raise StopUser()
        me = _PATIENTS[index]
        self.course = me["course_id"]
        self.client.headers["Authorization"] = f"Bearer {me['token']}"
        self.today = date.today()
        self.slots = ((self.today - timedelta(days=d), s) for d in range(10_000) for s in (2, 1))

    def _get(self, path: str, name: str, **params: str) -> None:
        with self.client.get(path, params=params or None, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.text[:200]}")

    @task
    def day(self) -> None:
        base = f"/api/v1/courses/{self.course}"
        self._get(f"{base}/today", "GET /courses/{id}/today")
        self.wait()
        day, slot = next(self.slots)
        taken_at = min(datetime.combine(day, time(8), UTC), datetime.now(UTC))
        body = {
            "date": day.isoformat(),
            "slot": slot,
            "status": "taken",
            "mg": 20,
            "taken_at": taken_at.isoformat(),
        }
        with self.client.put(
            f"{base}/doses/{uuid.uuid4()}",
            json=body,
            name="PUT /courses/{id}/doses/{dose_id}",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:200]}")
        self._get(f"{base}/today", "GET /courses/{id}/today")
        self.wait()
        self._get(f"{base}/timeline", "GET /courses/{id}/timeline")
        self.wait()
        self._get("/api/v1/reminders", "GET /reminders")
        start = self.today.isoformat()
        end = (self.today + timedelta(days=7)).isoformat()
        self._get("/api/v1/reminders/upcoming", "GET /reminders/upcoming", **{"from": start, "to": end})
