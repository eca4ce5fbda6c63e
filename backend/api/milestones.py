"""The patient's word on past usual visits and tests: done, not done or don't know (a course joined
mid-way shows its tests before the start as answered, not as missed)."""

from __future__ import annotations

from datetime import date

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from backend.api.blueprint import Blueprint
from backend.api.owned import COURSE_NOT_FOUND, course_or_404, path_date
from backend.auth import SECURITY, auth_required
from backend.course.rhythm import ANSWERS
from backend.models import Course
from backend.services import courses

blp = Blueprint("milestones", __name__, description="Answers about past visits and tests")

KINDS = ("monthly_visit", "blood_test", "pregnancy_test")


class AnswerSchema(Schema):
    answer = fields.String(
        required=True,
        validate=validate.OneOf(ANSWERS),
        metadata={"description": "done | not_done | unknown (don't know)"},
    )


class AnsweredSchema(Schema):
    kind = fields.String()
    date = fields.Date()
    answer = fields.String()


def _usual_dates(course: Course, last: date) -> list[tuple[str, date]]:
    """The timeline's usual visits and tests with nothing booked, up to `last` and before today."""
    today = courses.local_today(course)
    return [
        (m["kind"], m["date"])
        for m in courses.timeline_view(course, today)["milestones"]
        if m["kind"] in KINDS
        and m.get("appointment_kind")
        and not m.get("booked")
        and m["date"] <= last
        and m["date"] < today
    ]


@blp.route("/courses/<string:course_id>/milestones/<string:kind>/<string:day>")
class MilestoneAnswer(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(AnswerSchema)
    @blp.response(200, AnsweredSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def put(self, data: dict, course_id: str, kind: str, day: str):
        """Say whether a past usual visit or test (its kind and date on the timeline) was done."""
        course = course_or_404(course_id)
        when = path_date(day)
        if (kind, when) not in _usual_dates(course, when):
            abort(
                422,
                message="There is no past usual visit or test of this kind on this date.",
                errors={"path": {"day": ["No past usual visit or test of this kind on this date."]}},
            )
        courses.answer_milestones(course, [(kind, when)], data["answer"])
        return {"kind": kind, "date": when, "answer": data["answer"]}


@blp.route("/courses/<string:course_id>/milestones/before-start")
class BeforeStartAnswer(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(AnswerSchema)
    @blp.response(200, AnsweredSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def post(self, data: dict, course_id: str):
        """One answer for every usual test up to the first capsule (the programme's tests before the start
        and the first blood test): for a course joined after it began."""
        course = course_or_404(course_id)
        items = _usual_dates(course, course.start_date)
        courses.answer_milestones(course, items, data["answer"])
        return [{"kind": k, "date": d, "answer": data["answer"]} for k, d in items]
