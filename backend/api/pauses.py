"""Pauses of a course: the patient stopped the capsules (a red flag, the mood check, the prescriber) until
the prescriber says to restart. While paused no dose reminder is sent and the days count as paused."""

from __future__ import annotations

import uuid
from typing import NoReturn

from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.limits import check_pause_cap
from backend.api.owned import COURSE_NOT_FOUND, course_or_404
from backend.api.schemas.pauses import PauseCreateSchema, PausePatchSchema, PauseSchema
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.models import Course, CoursePause
from backend.services import pauses
from backend.services.pauses import PauseConflict, PauseRejected

blp = Blueprint(
    "pauses", __name__, description="Pauses: capsules stopped until the prescriber says to restart"
)

NOT_FOUND = "No such pause."


def _reject(err: PauseRejected) -> NoReturn:
    errors = {p.field: [p.message] for p in reversed(err.problems)}
    abort(422, message=err.problems[0].message, errors={"json": errors})


def _pause_or_404(course: Course, pause_id: str) -> CoursePause:
    try:
        pause_id = str(uuid.UUID(pause_id))
    except ValueError:
        abort(404, message=NOT_FOUND)
    pause = pauses.get_pause(course, pause_id)
    if pause is None:
        abort(404, message=NOT_FOUND)
    return pause


@blp.route("/courses/<string:course_id>/pauses")
class Pauses(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, PauseSchema(many=True))
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, course_id: str):
        """The course's pauses, oldest first."""
        return pauses.list_pauses(course_or_404(course_id))

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PauseCreateSchema)
    @blp.response(201, PauseSchema, description="The pause is stored.")
    @blp.alt_response(200, schema=PauseSchema, description="The same pause (same id) was stored before.")
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(
        409,
        description="The id is used by another pause, or the account holds MAX_PAUSES_PER_PATIENT pauses.",
    )
    def post(self, data: dict, course_id: str):
        """Start a pause from `started_on` for `reason`; dose reminders stop from that day.

        422 naming the field: a start before the course, after its last capsule or more than 60 days
        ahead; a restart before the start; an overlap with another pause; a second pause still going on.
        """
        course = course_or_404(course_id)
        if data.get("id") is not None:
            data = {**data, "id": str(data["id"])}
        if data.get("id") is None or pauses.get_pause(course, data["id"]) is None:
            check_pause_cap(current_patient_id())  # a replay of a stored pause is answered even at the cap
        try:
            write = pauses.create_pause(course, data)
        except PauseRejected as err:
            _reject(err)
        except PauseConflict:
            abort(
                409,
                message="This pause id is already used with different content.",
                errors={"json": {"id": ["Already used."]}},
            )
        return write.pause, (201 if write.created else 200)


@blp.route("/courses/<string:course_id>/pauses/<string:pause_id>")
class PauseById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, PauseSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: str, pause_id: str):
        """One pause."""
        return _pause_or_404(course_or_404(course_id), pause_id)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PausePatchSchema)
    @blp.response(200, PauseSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def patch(self, changes: dict, course_id: str, pause_id: str):
        """End the pause ("my prescriber says restart": `resumed_on`, the first day with capsules again),
        or correct its start or reason. Dose reminders are scheduled again from the restart."""
        course = course_or_404(course_id)
        pause = _pause_or_404(course, pause_id)
        try:
            return pauses.change_pause(course, pause, changes)
        except PauseRejected as err:
            _reject(err)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, course_id: str, pause_id: str):
        """Remove a pause entered by mistake: its days are dose days again."""
        course = course_or_404(course_id)
        pauses.delete_pause(course, _pause_or_404(course, pause_id))
