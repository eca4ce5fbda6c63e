"""Courses, the dose log, and the computed today/timeline views."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Response, current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import ValidationError

from backend.api.blueprint import Blueprint
from backend.api.cache import computed_view
from backend.api.limits import check_course_cap
from backend.api.paging import LINK_HEADER, link_next, next_from
from backend.api.schemas.common import plain_dumper
from backend.api.schemas.courses import (
    COURSE_PATCH_FIELDS,
    CourseCreateSchema,
    CoursePatchSchema,
    CourseSchema,
    DateQuerySchema,
    DoseBatchResultSchema,
    DoseBatchSchema,
    DoseListQuerySchema,
    DosePatchSchema,
    DosePutSchema,
    DoseSchema,
    check_plan,
    dump_dose,
)
from backend.api.schemas.views import TimelineSchema, TodaySchema
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.models import Course
from backend.services import courses

blp = Blueprint("courses", __name__, description="Courses, dose log, today and timeline")


@blp.before_request
def _larger_body_for_batches() -> None:
    """A batch of up to 1,000 doses needs more than the default body limit."""
    if request.endpoint == "courses.DoseBatch":
        request.max_content_length = current_app.config["MAX_BATCH_BODY_BYTES"]


NOT_FOUND = "No such course."
# The computed views are written out plainly: no per-field marshmallow work on hundreds of nested items
# (a third of the timeline's cost for a long course); tests/api/test_view_dump.py keeps them equal.
dump_today = plain_dumper(TodaySchema)
dump_timeline = plain_dumper(TimelineSchema)

# @auth_required sits above @blp.arguments: a call without a valid token is 401 before its body is read.


def _course_or_404(course_id: str) -> Course:
    course = courses.get_course(current_patient_id(), course_id)
    if course is None:
        abort(404, message=NOT_FOUND)
    return course


def _version_or_404(course_id: str) -> courses.CourseVersion:
    version = courses.course_version(current_patient_id(), course_id)
    if version is None:
        abort(404, message=NOT_FOUND)
    return version


def _computed(
    kind: str,
    course_id: str,
    query: dict,
    view: Callable[[Course, date], dict],
    dump: Callable[[dict], Any],
) -> Response:
    """A computed view of the course on the asked (or the patient's current) date, cached by version."""
    version = _version_or_404(course_id)
    day = query.get("date") or courses.local_today(version)
    return computed_view(kind, version, day, lambda: view(_course_or_404(course_id), day), dump)


def _dose_id_or_422(dose_id: str) -> str:
    try:
        return str(uuid.UUID(dose_id))
    except ValueError:
        abort(422, message="The dose id must be a UUID.", errors={"path": {"dose_id": ["Not a valid UUID."]}})


@blp.route("/courses")
class Courses(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CourseCreateSchema)
    @blp.response(201, CourseSchema)
    @blp.alt_response(409, description="The account already holds MAX_COURSES_PER_PATIENT courses.")
    def post(self, data: dict):
        """Set up a course. A start_date more than a year back or more than 60 days ahead needs
        `confirm_start_date: true`; one more than 2 years back is refused (422s naming start_date)."""
        problem = courses.start_bounds_problem(
            courses.local_today(courses.ZoneOf(data["timezone"])),
            data["start_date"],
            data.pop("confirm_start_date", False),
        )
        if problem:
            abort(422, errors={"json": {"start_date": [problem]}})
        check_course_cap(current_patient_id())
        return courses.create_course(current_patient_id(), data)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CourseSchema(many=True))
    def get(self):
        """This patient's courses, oldest first."""
        return courses.list_courses(current_patient_id())


@blp.route("/courses/<string:course_id>")
class CourseById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CourseSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, course_id: str):
        """One course."""
        return _course_or_404(course_id)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CoursePatchSchema(partial=COURSE_PATCH_FIELDS))
    @blp.response(200, CourseSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def patch(self, changes: dict, course_id: str):
        """Change any course field: start date, weight (kg or lb), target, product, programme, pregnancy
        prevention, time zone, last capsule (ended_on), the whole dose plan or a plan change from a date.

        Views and reminders are recomputed from the changed course. A start_date more than a year back or
        more than 60 days ahead needs `confirm_start_date: true` (otherwise a 422 naming start_date).
        """
        course = _course_or_404(course_id)
        errors: dict[str, object] = {}
        confirmed = changes.pop("confirm_start_date", False)
        plan_change = changes.pop("dose_plan_change", None)
        start = changes.get("start_date", course.start_date)
        if "start_date" in changes and changes["start_date"] != course.start_date:
            problem = courses.start_date_problem(course, changes["start_date"], confirmed)
            if problem:
                errors["start_date"] = [problem]
        if plan_change is not None:
            if plan_change["from_date"] < start:
                errors["dose_plan_change"] = {"from_date": ["The change cannot start before the course."]}
            else:
                changes["dose_plan"] = courses.plan_with_change(course, plan_change)
        plan = changes.get("dose_plan") or [
            {"from_date": date.fromisoformat(s["from_date"])} for s in course.dose_plan
        ]
        try:
            check_plan(
                plan,
                start,
                changes.get("ended_on", course.ended_on),
                today=courses.local_today(courses.ZoneOf(changes.get("timezone", course.timezone))),
                programme=changes.get("programme", course.programme),
                rule_set=changes.get("rule_set"),
            )
        except ValidationError as err:
            errors = {**err.messages, **errors}  # type: ignore[dict-item]
        if errors:
            abort(422, message="Some fields are not valid.", errors={"json": errors})
        return courses.update_course(course, changes)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description=NOT_FOUND)
    def delete(self, course_id: str):
        """Delete a course with everything of it: its dose log, reminders, appointments, check-ins,
        mood answers, pick-ups, pauses and calendar feeds (frees a place under MAX_COURSES_PER_PATIENT)."""
        courses.delete_course(_course_or_404(course_id))


@blp.route("/courses/<string:course_id>/doses")
class Doses(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DoseListQuerySchema, location="query")
    @blp.response(200, DoseSchema(many=True), headers=LINK_HEADER)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """Logged doses, oldest first, optionally between `from` and `to` (inclusive); at most `limit`
        (100) days with a logged dose a page (a day's doses are never split), the next page named by
        the `Link` header."""
        course = _course_or_404(course_id)
        page, following = courses.list_doses(course, query.get("from_"), query.get("to"), query["limit"])
        response = current_app.json.response([dump_dose(dose) for dose in page])
        return link_next(response, next_from(following, query))


@blp.route("/courses/<string:course_id>/doses/batch")
class DoseBatch(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DoseBatchSchema)
    @blp.response(200, DoseBatchResultSchema, description="Every dose is stored (created or replayed).")
    @blp.alt_response(404, description=NOT_FOUND)
    @blp.alt_response(
        409, description="An item's id or slot is used by a different dose: nothing was stored."
    )
    @blp.alt_response(422, description="An item is not valid or does not fit the course: nothing was stored.")
    def post(self, data: dict, course_id: str):
        """Log many doses at once (catching up), all or nothing, each idempotent under its id.

        Each item is handled exactly like `PUT /doses/{id}`: new → `created`, an identical replay →
        `replayed`, the id or slot used with other content → 409. Errors name the item by its index:
        `errors.json.doses.<index>.<field>`.
        """
        course = _course_or_404(course_id)
        items = [{**item, "id": str(item["id"])} for item in data["doses"]]
        try:
            writes = courses.put_doses(course, items)
        except courses.BatchItemError as err:
            message = f"Item {err.index} (id {items[err.index]['id']}): {err.reason} Nothing was stored."
            extra = {"existing_id": err.existing_id} if err.existing_id else {}
            errors = {"json": {"doses": {err.index: {err.field: [err.reason]}}}}
            abort(err.status, message=message, errors=errors, **extra)
        created = sum(write.created for write in writes)
        return {
            "created": created,
            "replayed": len(writes) - created,
            "results": [
                {"id": w.dose.id, "outcome": "created" if w.created else "replayed", "dose": w.dose}
                for w in writes
            ],
        }


@blp.route("/courses/<string:course_id>/doses/<string:dose_id>")
class DoseById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DosePutSchema)
    @blp.response(200, DoseSchema, description="An identical replay: nothing changed.")
    @blp.alt_response(201, schema=DoseSchema, description="Logged for the first time.")
    @blp.alt_response(404, description="No such course, or the id is another course's dose.")
    @blp.alt_response(409, description="The id or the slot is already used by a different dose.")
    def put(self, data: dict, course_id: str, dose_id: str):
        """Log a dose as taken or skipped, idempotently under a client-made UUID."""
        course = _course_or_404(course_id)
        dose_id = _dose_id_or_422(dose_id)
        try:
            result = courses.put_dose(course, dose_id, data)
        except courses.DoseIdElsewhere:
            abort(404, message="No such dose.")
        except courses.DoseRejected as err:
            abort(422, message=err.reason, errors={"json": {err.field: [err.reason]}})
        except courses.DoseConflict as err:
            abort(
                409, message=err.message, errors={"json": {"id": [err.message]}}, existing_id=err.existing_id
            )
        return result.dose, (201 if result.created else 200)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DosePatchSchema)
    @blp.response(200, DoseSchema)
    @blp.alt_response(404, description="No such dose.")
    def patch(self, changes: dict, course_id: str, dose_id: str):
        """Correct a logged dose: when it was taken, taken or skipped, or the mg (checked as for PUT)."""
        dose = courses.get_dose(_course_or_404(course_id), _dose_id_or_422(dose_id))
        if dose is None:
            abort(404, message="No such dose.")
        try:
            return courses.correct_dose(dose.course, dose, changes)
        except courses.DoseRejected as err:
            abort(422, message=err.reason, errors={"json": {err.field: [err.reason]}})

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, DoseSchema)
    @blp.alt_response(404, description="No such dose.")
    def get(self, course_id: str, dose_id: str):
        """One logged dose."""
        dose = courses.get_dose(_course_or_404(course_id), dose_id)
        if dose is None:
            abort(404, message="No such dose.")
        return dose

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description="No such dose.")
    def delete(self, course_id: str, dose_id: str):
        """Remove a logged dose (PATCH corrects one in place)."""
        dose = courses.get_dose(_course_or_404(course_id), dose_id)
        if dose is None:
            abort(404, message="No such dose.")
        courses.delete_dose(dose)


@blp.route("/courses/<string:course_id>/today")
class Today(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DateQuerySchema, location="query")
    @blp.response(200, TodaySchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """Where the patient is today: day, phase, today's capsules, progress, next milestones."""
        return _computed("today", course_id, query, courses.today_view, dump_today)


@blp.route("/courses/<string:course_id>/timeline")
class Timeline(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(DateQuerySchema, location="query")
    @blp.response(200, TimelineSchema)
    @blp.alt_response(404, description=NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """The whole course: phases with what to expect, and dated milestones."""
        return _computed("timeline", course_id, query, courses.timeline_view, dump_timeline)
