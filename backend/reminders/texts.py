"""Notification texts and the push payload (pure). Medical wording traces to clinical-facts ids.

The payload stays far below the 2 KB encrypted budget: a title, a short body, ids and a URL; the app
fetches details itself.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from backend.course.rules import load_rule_sets

APPOINTMENT_NAMES = {
    "dermatologist_visit": "dermatologist visit",
    "blood_test": "blood test",
    "pregnancy_test": "pregnancy test",
    "other": "appointment",
}
# Which fact ids back each kind's text (clinical-facts.md).
FACTS = {
    "dose": ["DOSE-5"],
    "dose_followup": ["DOSE-8", "DOSE-11", "DOSE-5"],  # the course's rule set picks DOSE-8 or DOSE-11
    "fasting": ["MON-3"],
    "pickup_window": ["PREG-3", "PREG-4", "PREG-13"],
    "final_pregnancy_test": ["PREG-6", "PREG-7"],
    "contraception_end": ["PREG-1", "PREG-2", "PREG-6", "PREG-7"],
    "refill": ["DOSE-10", "DOSE-13", "PRODUCT-1"],
    "mood_checkin": ["MOOD-1", "RED-1", "PRODUCT-1"],
}
TAKEN_ACTION = {"action": "taken", "title": "Taken"}
SNOOZE_ACTION = {"action": "snooze", "title": "Snooze 10 min"}
MAX_PAYLOAD_BYTES = 1500  # leaves room for the aes128gcm header, padding and tag under 2 KB


def _mg(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g} mg"


def _time_of(iso_local: str) -> str:
    """ "HH:MM" of a local ISO date-time: a `{name}` value the phone writes in its own clock format."""
    return datetime.fromisoformat(iso_local).strftime("%H:%M")


def _date_of(iso_local: str) -> str:
    """ "YYYY-MM-DD" of a local ISO date or date-time: a `{name}` value the phone writes as a short day."""
    return datetime.fromisoformat(iso_local).date().isoformat()


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_TIME = re.compile(r"^\d{2}:\d{2}$")


def _default(value: str) -> str:
    """The English fallback of a value: "09:30" as is, a date as "Tue 10 Mar"."""
    return value if _TIME.match(value) else datetime.fromisoformat(value).strftime("%a %d %b")


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each `{name}` of `values` written out (other braces are left alone)."""
    return _PLACEHOLDER.sub(lambda m: _default(values[m[1]]) if m[1] in values else m[0], template)


# MOOD-1, RED-1: a gentle weekly question, what to tell the doctor now, and where to get help at once.
# Never a score, a verdict or a diagnosis (PRODUCT-1).
MOOD_CHECKIN_TITLE = "How have you been feeling this week?"
MOOD_CHECKIN_BODY = (
    "Take a moment for yourself. If you have felt down, stopped enjoying things, been unusually "
    "irritable or had dark thoughts, tell your doctor now - you don't have to wait for your next visit. "
    "If you feel in danger, call emergency services or a crisis line."
)


def render(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """(title, body) for an occurrence of `kind` with its stored `data`, times and days in English."""
    title, body, values = templates(kind, data)
    return fill(title, values), fill(body, values)


def texts_with_local(kind: str, data: dict[str, Any]) -> tuple[str, str, dict[str, Any] | None]:
    """(title, body, local): the English texts, and for texts holding a time or a day, `local` — the
    templates that have placeholders and their `values` — for the app and the service worker to write in
    the phone's locale (None when there is nothing to write)."""
    title, body, values = templates(kind, data)
    local: dict[str, Any] | None = None
    if values:
        local = {"values": values}
        local.update({key: text for key, text in (("title", title), ("body", body)) if "{" in text})
    return fill(title, values), fill(body, values), local


def templates(kind: str, data: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
    """(title, body, values): texts whose `{name}` placeholders stand for `values` — a wall-clock
    "HH:MM" or a date "YYYY-MM-DD" — so the phone can write them in its own locale (sw/payload.ts)."""
    if kind == "dose":
        title = f"Time for your capsule ({_mg(data.get('mg'))})"
        if data.get("slots_today", 1) > 1:
            title = f"Time for capsule {data.get('slot')} of {data['slots_today']} ({_mg(data.get('mg'))})"
        body = "Take it with a meal." if data.get("with_meal") else "Take it with or without food."  # DOSE-5
        return title, body + " Swallow it whole with water.", {}
    if kind == "dose_followup":
        rules = load_rule_sets().get(data.get("rule_set") or "none") or load_rule_sets()["none"]
        dose_time = data.get("dose_time")
        values = {"dose_time": dose_time} if isinstance(dose_time, str) and _TIME.match(dose_time) else {}
        reminder = rules.missed_dose_reminder
        body = reminder.get("with_meal_text", reminder["text"]) if data.get("with_meal") else reminder["text"]
        return (  # DOSE-11 (US) or DOSE-8 (+ DOSE-5 with food), from the course's rule set
            "Not marked yet: your {dose_time} capsule" if values else "Not marked yet: your capsule",
            body,
            values,
        )
    if kind == "appointment":
        name = APPOINTMENT_NAMES.get(data.get("appointment_kind", "other"), "appointment")
        values = {"at": _time_of(data["starts_at_local"]), "day": _date_of(data["starts_at_local"])}
        where = f" at {_literal(data['place'])}" if data.get("place") else ""
        if data.get("when") == "tomorrow":
            title = f"Tomorrow: {name} at {{at}}"
        else:
            title = f"Coming up: {name} at {{at}}"
        body = f"{{day}}{where}."
        if data.get("fasting"):
            body += " Fasting test: check what your clinic asked."
        return title, body, values
    if kind == "fasting":
        when = "today" if data.get("when") == "today" else "tomorrow"
        return (  # MON-3: the clinic's instructions set how long
            f"Fasting blood test {when} at {{at}}",
            "Were you told to fast? Then have only water beforehand, for as long as the clinic told you.",
            {"at": _time_of(data["starts_at_local"])},
        )
    if kind == "pickup_window":
        days = data.get("window_days", 7)
        body = (  # PREG-3, PREG-4; the wait after a missed window: first prescription only (PREG-13)
            f"The {days}-day pick-up window from your pregnancy test on {{test_date}} "
            "closes on {window_ends}."
        )
        if data.get("lockout_days"):
            wait = data["lockout_days"]
            body += f" Missing it for your first prescription means a {wait}-day wait for a new test."
        values = {"test_date": _date_of(data["test_date"]), "window_ends": _date_of(data["window_ends"])}
        return "Pick up your prescription by tomorrow", body, values
    if kind == "final_pregnancy_test":
        return (
            "Final pregnancy test",
            "A full month has passed since your last capsule: time for the final pregnancy test "
            "your clinic asked for.",  # PREG-6, PREG-7
            {},
        )
    if kind == "contraception_end":
        return (
            "A month since your last capsule",
            "Keep using contraception until your final pregnancy test is negative. "
            "Talk to your prescriber before you change anything.",  # PREG-1, PREG-2, PREG-6, PREG-7
            {},
        )
    if kind == "refill":
        # DOSE-10: supplies are counted in 30-day blocks from the start; no dose advice (PRODUCT-1).
        values = {"due": _date_of(data["supply_from"])} if data.get("supply_from") else {}
        due = " on {due}" if values else " soon"
        # Past the projected end the course may still go on (DOSE-13): an estimate adds words, never removes.
        last = " This may be your last supply: ask your prescriber." if data.get("past_projected_end") else ""
        if data.get("from_pickups"):
            return (
                "Time to arrange your next prescription",
                f"At your current plan, the capsules you recorded are expected to run out{due}. "
                "Sort out the prescription and pick-up in good time." + last,
                values,
            )
        return (
            "Time to arrange your next prescription",
            f"Counting 30-day supplies from your start date, the next one is due{due}. "
            "Sort out the prescription and pick-up in good time." + last,
            values,
        )
    if kind == "mood_checkin":
        return MOOD_CHECKIN_TITLE, MOOD_CHECKIN_BODY, {}
    if kind == "test":
        return "ClearCourse test notification", "Reminders work on this device.", {}
    return "ClearCourse reminder", "", {}


def _literal(text: str) -> str:
    """Patient text inside a template: braces doubled would still read oddly, so they are dropped."""
    return text.replace("{", "(").replace("}", ")")


def url_for(kind: str, data: dict[str, Any]) -> str:
    if kind in ("dose", "dose_followup"):
        return f"/?dose={data.get('date')}:{data.get('slot')}"
    if kind == "mood_checkin":
        return "/?checkin=mood"
    if data.get("appointment_id"):
        return f"/appointments?id={data['appointment_id']}"
    return "/reminders"


def payload(
    *,
    kind: str,
    data: dict[str, Any],
    occurrence_id: str,
    reminder_id: str | None,
    tag: str | None = None,
) -> dict[str, Any]:
    """The JSON the service worker receives (see docs/ARCHITECTURE.md "Reminders")."""
    title, body, local = texts_with_local(kind, data)
    message: dict[str, Any] = {
        "title": title,
        "body": body,
        "tag": tag or occurrence_id,
        "url": url_for(kind, data),
        "kind": kind,
        "occurrence_id": occurrence_id,
        "reminder_id": reminder_id,
        "course_id": data.get("course_id"),
    }
    if kind in ("dose", "dose_followup"):
        message.update(date=data.get("date"), slot=data.get("slot"), mg=data.get("mg"))
        message["actions"] = [TAKEN_ACTION, SNOOZE_ACTION]
    elif kind != "test":
        message["actions"] = [SNOOZE_ACTION]
    if data.get("appointment_id"):
        message["appointment_id"] = data["appointment_id"]
    if local:  # the phone writes times and days in its own locale; title and body are the fallback
        message["local"] = local
    return message
