"""Domain events (blinker signals): lower layers announce what happened, listeners react.

The course services send them after the change is committed; the reminders service listens
(`backend.services.reminders.connect_events`, called by the app factory). So services/courses.py
and services/record.py never import the reminders service, and there is no import cycle.

* ``course_changed(course)``: a course was created or changed (plan, time zone, end, supply…);
* ``doses_logged(course, slots=[(date, slot), …])``: doses were marked taken or skipped.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

course_changed = _signals.signal("course-changed")
doses_logged = _signals.signal("doses-logged")
