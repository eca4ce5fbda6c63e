"""Notification texts (the ``reminders`` catalog, ``texts.json``, in the current locale) and the push payload
(pure). Medical wording traces to clinical-facts ids.

The payload stays far below the 2 KB encrypted budget: a title, a short body, ids and a URL; the app
fetches details itself.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from backend.course.rules import load_rule_sets
from backend.i18n import catalog

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


def _t() -> dict[str, Any]:
    """The notification texts (``texts.json``) in the current locale."""
    return catalog("reminders")


def _with(template: str, **values: Any) -> str:
    """A catalog template with the server's own `{name}` values written in; the phone's stay."""
    return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], template)


def render(kind: str, data: dict[str, Any]) -> tuple[str, str]:
    """(title, body) for an occurrence of `kind` with its stored `data`; times and days in English form."""
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
    t = _t()
    if kind == "dose":
        mg = _mg(data.get("mg"))
        title = _with(t["dose"]["title"], mg=mg)
        if data.get("slots_today", 1) > 1:
            title = _with(t["dose"]["title_slot"], slot=data.get("slot"), count=data["slots_today"], mg=mg)
        body = t["dose"]["with_meal" if data.get("with_meal") else "any_food"]["text"]  # DOSE-5
        return title, body, {}
    if kind == "dose_followup":
        rules = load_rule_sets().get(data.get("rule_set") or "none") or load_rule_sets()["none"]
        dose_time = data.get("dose_time")
        values = {"dose_time": dose_time} if isinstance(dose_time, str) and _TIME.match(dose_time) else {}
        reminder = rules.missed_dose_reminder
        body = reminder.get("with_meal_text", reminder["text"]) if data.get("with_meal") else reminder["text"]
        return (  # DOSE-11 (US) or DOSE-8 (+ DOSE-5 with food), from the course's rule set
            t["dose_followup"]["title_time" if values else "title"],
            body,
            values,
        )
    if kind == "appointment":
        names = t["appointment_names"]
        name = names.get(data.get("appointment_kind", "other"), names["other"])
        values = {"at": _time_of(data["starts_at_local"]), "day": _date_of(data["starts_at_local"])}
        texts = t["appointment"]
        title = _with(texts["title_tomorrow" if data.get("when") == "tomorrow" else "title_soon"], name=name)
        if data.get("place"):
            body = _with(texts["body_place"], place=_literal(data["place"]))
        else:
            body = texts["body"]
        if data.get("fasting"):
            body += texts["fasting"]["text"]
        return title, body, values
    if kind == "fasting":
        texts = t["fasting"]
        return (  # MON-3: the clinic's instructions set how long
            texts["title_today" if data.get("when") == "today" else "title_tomorrow"],
            texts["body"]["text"],
            {"at": _time_of(data["starts_at_local"])},
        )
    if kind == "pickup_window":
        texts = t["pickup_window"]
        body = _with(texts["body"]["text"], days=data.get("window_days", 7))  # PREG-3
        if data.get("lockout_days"):  # a missed window: a wait, first prescription only (PREG-4, PREG-13)
            body += _with(texts["lockout"]["text"], lockout_days=data["lockout_days"])
        values = {"test_date": _date_of(data["test_date"]), "window_ends": _date_of(data["window_ends"])}
        return texts["title"], body, values
    if kind in ("final_pregnancy_test", "contraception_end", "mood_checkin"):
        # PREG-6, PREG-7; PREG-1, PREG-2; MOOD-1, RED-1: never a score, a verdict or a diagnosis (PRODUCT-1)
        return t[kind]["title"], t[kind]["body"]["text"], {}
    if kind == "refill":
        # DOSE-10: supplies are counted in 30-day blocks from the start; no dose advice (PRODUCT-1).
        values = {"due": _date_of(data["supply_from"])} if data.get("supply_from") else {}
        key = ("from_pickups" if data.get("from_pickups") else "blocks") + ("_due" if values else "_soon")
        body = t["refill"][key]["text"]
        # Past the projected end the course may still go on (DOSE-13): an estimate adds words, never removes.
        if data.get("past_projected_end"):
            body += t["refill"]["may_be_last"]["text"]
        return t["refill"]["title"], body, values
    if kind == "test":
        return t["test"]["title"], t["test"]["body"], {}
    if kind == "caregiver_nudge":
        # A lock screen may be seen by anyone: no medicine's name, no amount, only that a tick is missing.
        dose_time = data.get("dose_time")
        values = {"dose_time": dose_time} if isinstance(dose_time, str) and _TIME.match(dose_time) else {}
        texts = t["caregiver_nudge"]
        return (
            texts["title_time" if values else "title"],
            texts["body_held" if data.get("held") else "body"],
            values,
        )
    if kind == "caregiver_joined":
        return t["caregiver_joined"]["title"], t["caregiver_joined"]["body"], {}
    return t["generic"]["title"], "", {}


def _literal(text: str) -> str:
    """Patient text inside a template: braces doubled would still read oddly, so they are dropped."""
    return text.replace("{", "(").replace("}", ")")


def _action(name: str) -> dict[str, str]:
    return {"action": name, "title": _t()["actions"][name]}


#: About caregivers: no rule the patient can snooze behind them.
CAREGIVER_KINDS = frozenset({"caregiver_nudge", "caregiver_joined"})
#: Kinds that carry no action buttons (nothing to tick or snooze from the notification).
NO_ACTIONS = frozenset({"test", *CAREGIVER_KINDS})


def url_for(kind: str, data: dict[str, Any]) -> str:
    if kind == "caregiver_nudge":
        return "/care"  # the caregiver's view
    if kind == "caregiver_joined":
        return "/settings#caregivers-heading"
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
        "reminder_id": None if kind in CAREGIVER_KINDS else reminder_id,
        "course_id": data.get("course_id"),
    }
    if kind in ("dose", "dose_followup"):
        message.update(date=data.get("date"), slot=data.get("slot"), mg=data.get("mg"))
        message["actions"] = [_action("taken"), _action("snooze")]
    elif kind not in NO_ACTIONS:
        message["actions"] = [_action("snooze")]
    if data.get("appointment_id"):
        message["appointment_id"] = data["appointment_id"]
    if local:  # the phone writes times and days in its own locale; title and body are the fallback
        message["local"] = local
    return message
