"""The calendar feed (pure): appointments, the post-course dates and, optionally, the daily capsules as an
iCalendar document made with the ``icalendar`` library.

Times are wall-clock times in the course's IANA zone with a real VTIMEZONE (generated from the zoneinfo
data for the years the course spans), so a phone shows them right across daylight-saving changes. UIDs are
UUIDv5 names of the course's internal ids, stable across fetches, so an edited appointment updates its event
instead of adding one. Nothing identifying goes in: no ids, names or free-text notes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from backend.course.pauses import Pause, unpaused_runs
from backend.course.plan import Segment
from backend.i18n import catalog

UID_NAMESPACE = uuid.UUID("4f7c1f0e-2b7e-4f0a-9a55-6b1e0c3d8a21")
UID_DOMAIN = "clearcourse"
APPOINTMENT_MINUTES = 30
REFRESH = timedelta(hours=1)


def texts(language: str | None = None) -> dict[str, Any]:
    """The calendar texts in ``language`` (default: the current locale); cached, read-only."""
    return catalog("calendar", language)


@dataclass(frozen=True)
class FeedAppointment:
    id: str
    kind: str
    starts_at_local: datetime  # naive, the course's zone
    place: str | None
    fasting: bool


@dataclass(frozen=True)
class FeedMilestone:
    kind: str
    date: date
    title: str
    description: str
    estimated: bool
    title_says_estimate: bool = False  # the content marks the title as saying "estimate" already


@dataclass(frozen=True)
class FeedCourse:
    id: str
    timezone: str
    product: str
    plan: tuple[Segment, ...]
    start_date: date
    last_capsule: date | None  # the recorded last capsule (ended_on); None while the course goes on
    pauses: tuple[Pause, ...] = ()  # no capsule events on paused days; none after a pause still going on


def _uid(course_id: str, name: str) -> str:
    return f"{uuid.uuid5(UID_NAMESPACE, f'{course_id}:{name}')}@{UID_DOMAIN}"


def _appointment_event(course: FeedCourse, appt: FeedAppointment, zone: ZoneInfo, now: datetime) -> Event:
    content = texts()
    start = appt.starts_at_local.replace(tzinfo=zone)
    event = Event()
    event.add("uid", _uid(course.id, f"appointment:{appt.id}"))
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("duration", timedelta(minutes=APPOINTMENT_MINUTES))
    event.add("summary", content["appointment_kinds"].get(appt.kind, content["appointment_kinds"]["other"]))
    if appt.place:
        event.add("location", appt.place)
    if appt.fasting:
        event.add("description", content["fasting"]["text"])
    return event


def _estimated(content: dict[str, Any], milestone: FeedMilestone) -> str:
    """One "Estimated" per title: a title the content marks as saying it is an estimate (in any language) is
    not prefixed again."""
    if milestone.title_says_estimate:
        return milestone.title
    return content["estimated_prefix"]["text"] + milestone.title


def _capsules_title(content: dict[str, Any], seg: Segment, slot: int) -> str:
    """The dose's own mg when every day of the segment has the same amounts (not in a cycle)."""
    if seg.cycle_mg is not None:
        return content["capsules"]["text"].format(slot=slot, count=seg.doses_per_day)
    mg = seg.slot_mg(seg.from_date)[slot - 1]
    return content["capsules_mg"]["text"].format(mg=f"{mg:g}", slot=slot, count=seg.doses_per_day)


def _milestone_event(course: FeedCourse, milestone: FeedMilestone, now: datetime) -> Event:
    content = texts()
    event = Event()
    event.add("uid", _uid(course.id, f"milestone:{milestone.kind}"))
    event.add("dtstamp", now)
    event.add("dtstart", milestone.date)
    event.add("dtend", milestone.date + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if milestone.estimated:
        event.add("summary", _estimated(content, milestone))
        event.add("description", f"{milestone.description}\n\n{content['estimated_note']['text']}")
        event.add("x-clearcourse-estimated", "TRUE")
    else:
        event.add("summary", milestone.title)
        event.add("description", milestone.description)
    return event


def _capsule_events(course: FeedCourse, zone: ZoneInfo, today: date, now: datetime) -> list[Event]:
    """One daily recurring event per dose slot of each plan segment still ahead, with an alarm; a pause
    splits a segment into the runs of days around it (an open pause ends the events)."""
    content = texts()
    note = content["capsules_note"].get(course.product, content["capsules_note"]["standard"])["text"]
    events: list[Event] = []
    for i, seg in enumerate(course.plan):
        seg_end = course.plan[i + 1].from_date - timedelta(days=1) if i + 1 < len(course.plan) else None
        if course.last_capsule is not None:
            seg_end = min(seg_end, course.last_capsule) if seg_end else course.last_capsule
        first = max(seg.from_date, course.start_date)
        if seg_end is not None and (seg_end < first or seg_end < today):
            continue
        if seg.average_mg <= 0:
            continue
        for run_start, run_end in unpaused_runs(first, seg_end, course.pauses):
            if run_end is None or run_end >= today:
                events += _run_events(course, seg, run_start, run_end, run_start != first, zone, now, note)
    return events


def _run_events(
    course: FeedCourse,
    seg: Segment,
    first: date,
    seg_end: date | None,
    after_pause: bool,
    zone: ZoneInfo,
    now: datetime,
    note: str,
) -> list[Event]:
    """The recurring capsule events of one segment from ``first`` to ``seg_end`` (None: no end)."""
    content = texts()
    events: list[Event] = []
    for offset, interval in _repeats(seg, first):
        start_day = first + timedelta(days=offset)
        if seg_end is not None and start_day > seg_end:
            continue
        for slot, at in enumerate(seg.dose_times, start=1):
            key = f"capsules:{seg.from_date.isoformat()}:{slot}" + (f":{offset}" if interval > 1 else "")
            if after_pause:
                key += f":from:{first.isoformat()}"
            event = Event()
            event.add("uid", _uid(course.id, key))
            event.add("dtstamp", now)
            event.add("dtstart", datetime.combine(start_day, at, tzinfo=zone))
            event.add("duration", timedelta(minutes=5))
            event.add("summary", _capsules_title(content, seg, slot))
            event.add("description", note)
            rule: dict[str, Any] = {"freq": "daily"}
            if interval > 1:
                rule["interval"] = interval
            if seg_end is not None:
                rule["until"] = datetime.combine(seg_end, at, tzinfo=zone).astimezone(UTC)  # RFC 5545: UTC
            event.add("rrule", rule)
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", event["summary"])
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
            events.append(event)
    return events


def _repeats(seg: Segment, first: date) -> list[tuple[int, int]]:
    """(days after ``first``, interval) pairs covering the segment's capsule days: every day, or for a cycle
    with rest days (0 mg) one repeat per cycle day that has capsules."""
    cycle = seg.cycle_mg
    if cycle is None or all(mg > 0 for mg in cycle):
        return [(0, 1)]
    n = len(cycle)
    shift = (first - seg.from_date).days
    return sorted(((k - shift) % n, n) for k, mg in enumerate(cycle) if mg > 0)


def build_feed(
    course: FeedCourse,
    appointments: Sequence[FeedAppointment],
    milestones: Sequence[FeedMilestone],
    include_doses: bool,
    today: date,
    now: datetime,
) -> bytes:
    """The whole feed as iCalendar bytes (``text/calendar``)."""
    content = texts()
    zone = ZoneInfo(course.timezone)
    cal = Calendar()
    cal.add("prodid", "-//ClearCourse//Course calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", content["calendar_name"]["text"])
    cal.add("x-wr-caldesc", content["calendar_description"]["text"])
    cal.add("x-wr-timezone", course.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for appt in sorted(appointments, key=lambda a: a.starts_at_local):
        cal.add_component(_appointment_event(course, appt, zone, now))
    wanted = set(content["milestone_kinds"])
    for milestone in milestones:
        if milestone.kind in wanted:
            cal.add_component(_milestone_event(course, milestone, now))
    if include_doses:
        for event in _capsule_events(course, zone, today, now):
            cal.add_component(event)
    first = min([course.start_date, *(a.starts_at_local.date() for a in appointments)]) - timedelta(days=366)
    last = max([today, course.last_capsule or today, *(a.starts_at_local.date() for a in appointments)])
    cal.add_missing_timezones(first_date=first, last_date=last + timedelta(days=3 * 366))
    # `cal.to_ical()` folds every line character by character (half the feed's cost, bench/RESULTS.md §10d):
    # the same lines, folded the same way by `fold`.
    return ("\r\n".join(fold(line) for line in cal.content_lines() if line) + "\r\n").encode()


def fold(line: str, limit: int = 75) -> str:
    """An unfolded content line folded as RFC 5545 §3.1 says and as ``icalendar`` folds it: pieces of at
    most ``limit - 1`` octets, never inside a UTF-8 character, a piece never ending in the ``\\`` or ``^``
    of an escape, each continuation led by one space. Works on the encoded bytes, a piece at a time."""
    data = line.encode()
    if len(data) < limit:
        return line
    pieces = []
    start = 0
    while len(data) - start >= limit:
        cut = start + limit - 1
        while data[cut] & 0xC0 == 0x80:  # a UTF-8 continuation byte: the cut would split a character
            cut -= 1
        if cut - start > 1 and data[cut - 1] in b"\\^":
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode()
