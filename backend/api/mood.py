"""The weekly mood check (MOOD-1): answers in words, never a score; self-harm thoughts lead to help."""

from __future__ import annotations

from flask.views import MethodView

from backend.api.blueprint import Blueprint
from backend.api.owned import COURSE_NOT_FOUND, course_or_404, reject
from backend.api.schemas.record import MoodPutSchema, MoodSchema, WeekRangeQuerySchema
from backend.auth import SECURITY, auth_required
from backend.services import record
from backend.services.record import RecordRejected

blp = Blueprint("mood", __name__, description="Weekly mood checks")


@blp.route("/courses/<string:course_id>/mood")
class MoodChecks(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(WeekRangeQuerySchema, location="query")
    @blp.response(200, MoodSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """The answers over time, week by week (ISO weeks `from`..`to`, inclusive)."""
        course = course_or_404(course_id)
        try:
            return record.list_mood(course, query.get("from_"), query.get("to"))
        except RecordRejected as err:
            reject(err)


@blp.route("/courses/<string:course_id>/mood/<string:week>")
class MoodByWeek(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(MoodPutSchema)
    @blp.response(200, MoodSchema, description="The week's answers were replaced.")
    @blp.alt_response(201, schema=MoodSchema, description="The week's first answers.")
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def put(self, data: dict, course_id: str, week: str):
        """Store the answers of an ISO week (e.g. `2026-W13`); `follow_up.crisis` is true after a yes to
        the self-harm question, whatever the other answers (the crisis line first); `follow_up.stop` after
        "more than half the days" or "nearly every day" to either question (MOOD-2) or a yes to self-harm.
        Never a score."""
        course = course_or_404(course_id)
        try:
            created, stored = record.put_mood(course, week, data)
        except RecordRejected as err:
            reject(err)
        return stored, (201 if created else 200)
