"""Daily check-ins with red-flag triage (the rules: backend/record/triage_rules.json)."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.owned import COURSE_NOT_FOUND, course_or_404, path_date, reject
from backend.api.paging import LINK_HEADER, link_next, next_from
from backend.api.schemas.record import CheckInListQuerySchema, CheckInPutSchema, CheckInSchema, dump_checkin
from backend.auth import SECURITY, auth_required
from backend.services import record
from backend.services.record import RecordRejected

blp = Blueprint("checkins", __name__, description="Daily check-ins and their triage")

NOT_FOUND = "No check-in on this date."


@blp.route("/courses/<string:course_id>/checkins")
class CheckIns(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CheckInListQuerySchema, location="query")
    @blp.response(200, CheckInSchema(many=True), headers=LINK_HEADER)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """Check-ins, oldest first, optionally between `from` and `to` (inclusive), each with its triage;
        at most `limit` (31) a page, the next page named by the `Link` header."""
        course = course_or_404(course_id)
        page, more = record.list_checkins(course, query.get("from_"), query.get("to"), query["limit"])
        following = next_from(page[-1]["date"] + timedelta(days=1) if more else None, query)
        return link_next(current_app.json.response([dump_checkin(item) for item in page]), following)


@blp.route("/courses/<string:course_id>/checkins/<string:day>")
class CheckInByDate(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CheckInPutSchema)
    @blp.response(200, CheckInSchema, description="The day's check-in was replaced.")
    @blp.alt_response(201, schema=CheckInSchema, description="The day's first check-in.")
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(422, description="Bad input, or a pregnancy red flag on a course without prevention.")
    def put(self, data: dict, course_id: str, day: str):
        """Store the check-in of a local date (one per date, replaceable) and triage it.

        `triage.level` is `emergency` (airway, hives or a sudden widespread rash, blistering skin or
        mouth/eye sores, chest pain, a fit, fainting, one-sided weakness, sudden loss of sight, thoughts of
        self-harm; RED-13), `urgent` (the other red flags, any drop in night vision, a strong headache: stop
        the capsules and call the prescriber now; a severe flare: the dermatology team today), `routine` (a
        common effect at severity 3, or a headache on 5 of the last 7 days) or `none`. `triage.case` and
        `triage.calls` give the order of the call buttons. The pregnancy red flags are a 422 naming
        `red_flags` on a course without pregnancy prevention.
        """
        course = course_or_404(course_id)
        when = path_date(day)
        try:
            created, stored = record.put_checkin(course, when, data)
        except RecordRejected as err:
            reject(err)
        return stored, (201 if created else 200)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CheckInSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: str, day: str):
        """The check-in of one date, with its triage."""
        checkin = record.get_checkin(course_or_404(course_id), path_date(day))
        if checkin is None:
            abort(404, message=NOT_FOUND)
        return record.with_triage(checkin)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, course_id: str, day: str):
        """Delete the check-in of one date."""
        checkin = record.get_checkin(course_or_404(course_id), path_date(day))
        if checkin is None:
            abort(404, message=NOT_FOUND)
        record.delete_checkin(checkin)
