"""Pure course domain: dose plan maths, projection, phases, milestones and their texts.

Nothing in this package imports Flask or SQLAlchemy.
"""

from backend.course.content import load_content
from backend.course.dates import add_months, month_after
from backend.course.plan import (
    PlannedSlot,
    Segment,
    daily_mg,
    parse_plan,
    plan_to_json,
    segment_for,
    slots_for,
)
from backend.course.timeline import (
    CourseInfo,
    LoggedDose,
    Projection,
    build_timeline,
    build_today,
    project,
)

__all__ = [
    "CourseInfo",
    "LoggedDose",
    "PlannedSlot",
    "Projection",
    "Segment",
    "add_months",
    "build_timeline",
    "build_today",
    "daily_mg",
    "load_content",
    "month_after",
    "parse_plan",
    "plan_to_json",
    "project",
    "segment_for",
    "slots_for",
]
