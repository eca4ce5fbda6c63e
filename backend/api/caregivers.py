"""Caregivers: the patient's side (invites, choices, removal, preview) and the caregiver's side.

The caregiver's side answers only to a caregiver token (backend.caregiver_auth); every other
endpoint answers only to a device token, so a caregiver token opens nothing else (401).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from backend.api.blueprint import Blueprint
from backend.api.owned import course_or_404
from backend.api.push import PushSubscriptionInSchema, VapidPublicKeySchema, endpoint_or_422
from backend.api.reminders import ReminderSettingsSchema
from backend.api.schemas.common import LocalTime
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.caregiver_auth import CAREGIVER_SECURITY, caregiver_required, current_caregiver
from backend.extensions import db, limiter
from backend.i18n import best_match
from backend.models import Caregiver
from backend.reminders import dispatch
from backend.services import caregivers

# The auth decorator sits above @blp.arguments: without a valid token a call is 401 before its body is read.
blp = Blueprint("caregivers", __name__, description="Caregivers who see dose ticks, and nothing else")

JOIN_LINK = "/care#code={code}"


class InviteSchema(Schema):
    code = fields.String(required=True, metadata={"example": "7KQ3-M9TX"})
    link = fields.String(required=True, metadata={"description": "path to open on the caregiver's phone"})
    expires_at = fields.DateTime(required=True)


class JoinSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=32))


class JoinedSchema(Schema):
    id = fields.String(required=True)
    token = fields.String(required=True, metadata={"description": "the caregiver token, shown once"})


class CaregiverSchema(Schema):
    """What the patient sees of a caregiver: when it joined and the switches."""

    id = fields.String(dump_only=True)
    course_id = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    last_seen_at = fields.DateTime(dump_only=True, allow_none=True)
    show_appointments = fields.Boolean()
    nudge_allowed = fields.Boolean()
    nudge = fields.Boolean(dump_only=True, metadata={"description": "the caregiver turned the nudge on"})
    nudge_active = fields.Method("_active", dump_only=True)

    def _active(self, caregiver: Caregiver) -> bool:
        return bool(
            caregiver.nudge and caregiver.nudge_allowed and caregivers.push_subscription(caregiver.id)
        )


class CaregiverChangeSchema(Schema):
    show_appointments = fields.Boolean()
    nudge_allowed = fields.Boolean()


class CaregiverDaySchema(Schema):
    date = fields.Date(required=True)
    summary = fields.String(
        required=True,
        metadata={
            "enum": [
                *("all_taken", "some_taken", "skipped", "not_ticked"),
                *("paused", "not_started", "finished", "none"),
            ]
        },
    )
    doses = fields.List(fields.Dict(), required=True)


class CaregiverTodaySchema(Schema):
    date = fields.Date(required=True)
    state = fields.String(required=True)
    doses = fields.List(fields.Dict(), required=True)


class SharedCourseViewSchema(Schema):
    course_id = fields.String(required=True)
    today = fields.Nested(CaregiverTodaySchema, required=True)
    days = fields.List(fields.Nested(CaregiverDaySchema), required=True)
    upcoming = fields.List(fields.Dict(), metadata={"description": "only when the patient shares visits"})


class CaregivingSchema(Schema):
    courses = fields.List(fields.Nested(SharedCourseViewSchema), required=True)
    nudge = fields.Boolean(required=True)
    nudge_allowed = fields.Boolean(required=True)
    quiet_start = LocalTime(allow_none=True)
    quiet_end = LocalTime(allow_none=True)
    push = fields.Boolean(required=True, metadata={"description": "a push subscription is registered"})


class CaregivingSettingsSchema(ReminderSettingsSchema):
    """The caregiver's nudge and quiet hours (both or neither), in the course's time zone."""

    nudge = fields.Boolean(required=True)


# -- the patient's side ---------------------------------------------------------------------------------


@blp.route("/courses/<string:course_id>/caregiver-invites")
class Invites(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(201, InviteSchema)
    @blp.alt_response(404, description="No such course.")
    @blp.alt_response(409, description="MAX_CAREGIVERS_PER_COURSE caregivers (or unused invites) already.")
    def post(self, course_id: str):
        """Make a one-use caregiver invite for this course (valid CAREGIVER_INVITE_TTL_HOURS, 24 h).

        At most MAX_CAREGIVERS_PER_COURSE caregivers per course, counting unused invites (409)."""
        course = course_or_404(course_id)
        limit = current_app.config["MAX_CAREGIVERS_PER_COURSE"]
        if caregivers.held_caregivers(course.id) + caregivers.live_invites(course.id) >= limit:
            abort(409, message=f"At most {limit} caregivers per course; remove one in Settings first.")
        code, invite = caregivers.create_invite(
            course, timedelta(hours=current_app.config["CAREGIVER_INVITE_TTL_HOURS"])
        )
        return {"code": code, "link": JOIN_LINK.format(code=code), "expires_at": invite.expires_at}


def _own_caregiver(caregiver_id: str) -> Caregiver:
    caregiver = caregivers.get_caregiver(current_patient_id(), caregiver_id)
    if caregiver is None:
        abort(404, message="No such caregiver.")
    return caregiver


@blp.route("/caregivers")
class Caregivers(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CaregiverSchema(many=True))
    def get(self):
        """The caregivers who joined, newest last (the app says when one joined)."""
        return caregivers.list_caregivers(current_patient_id())

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    def delete(self):
        """Remove every caregiver (and unused invite) at once: their tokens stop working now."""
        caregivers.remove_all(current_patient_id())


@blp.route("/caregivers/<string:caregiver_id>")
class CaregiverById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(CaregiverChangeSchema)
    @blp.response(200, CaregiverSchema)
    @blp.alt_response(404, description="No such caregiver.")
    def patch(self, changes: dict, caregiver_id: str):
        """Share visits and lab dates with this caregiver or not; allow or stop its dose nudge."""
        return caregivers.update(_own_caregiver(caregiver_id), changes)

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description="No such caregiver.")
    def delete(self, caregiver_id: str):
        """Remove this caregiver: its token answers 401 at once and its push subscription is deleted."""
        caregivers.remove(_own_caregiver(caregiver_id).id)


@blp.route("/caregivers/<string:caregiver_id>/preview")
class Preview(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, CaregivingSchema)
    @blp.alt_response(404, description="No such caregiver.")
    def get(self, caregiver_id: str):
        """Exactly what this caregiver sees (the body of its GET /caregiving)."""
        return _caregiving(_own_caregiver(caregiver_id))


# -- the caregiver's side -------------------------------------------------------------------------------


def _join_limit() -> str:
    return current_app.config["CAREGIVER_JOIN_LIMIT"]


@blp.route("/caregiving/join")
class Join(MethodView):
    decorators = [limiter.limit(_join_limit, methods=["POST"])]

    @blp.arguments(JoinSchema)
    @blp.response(201, JoinedSchema)
    @blp.alt_response(404, description="The code is unknown, used or expired.")
    @blp.alt_response(409, description="The course already has MAX_CAREGIVERS_PER_COURSE caregivers.")
    @blp.alt_response(429, description="Too many tries (invite guessing is rate limited).")
    def post(self, data: dict):
        """Redeem a caregiver invite and receive a caregiver token (no name, email or phone)."""
        try:
            joined = caregivers.join(
                data["code"], current_app.config["MAX_CAREGIVERS_PER_COURSE"], _language()
            )
        except caregivers.CaregiverLimitReached as full:
            abort(409, message=f"This course already has {full.limit} caregivers.")
        if joined is None:
            abort(
                404,
                message="That code is unknown, already used or expired.",
                errors={"json": {"code": ["Not valid."]}},
            )
        caregiver, token = joined
        return {"id": caregiver.id, "token": token}


def _language() -> str:
    """The caregiver phone's language (its nudge is written in it)."""
    return best_match(request.headers.get("Accept-Language"))


def _me() -> Caregiver:
    caregiver = db.session.get(Caregiver, current_caregiver().id)
    if caregiver is None:  # removed between the token check and now
        abort(401, message="That caregiver token is not valid (it may have been removed).")
    return caregiver


def _caregiving(caregiver: Caregiver) -> dict:
    return {
        "courses": [caregivers.view_for(caregiver)],
        "nudge": caregiver.nudge,
        "nudge_allowed": caregiver.nudge_allowed,
        "quiet_start": caregiver.quiet_start,
        "quiet_end": caregiver.quiet_end,
        "push": caregivers.push_subscription(caregiver.id) is not None,
    }


@blp.route("/caregiving")
class Caregiving(MethodView):
    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.response(200, CaregivingSchema)
    def get(self):
        """For each course shared: today's doses, the last 14 days, and visits if the patient shares them."""
        return _caregiving(_me())

    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.response(204)
    def delete(self):
        """Leave: this caregiver token and its push subscription are deleted."""
        caregivers.remove(current_caregiver().id)


@blp.route("/caregiving/settings")
class CaregivingSettings(MethodView):
    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.arguments(CaregivingSettingsSchema)
    @blp.response(200, CaregivingSchema)
    def put(self, data: dict):
        """The caregiver's nudge ("a dose not ticked an hour after its time") and quiet hours.

        One push per dose still unticked an hour after its time, if the patient allows it and a push
        subscription is registered; inside quiet hours it is held to their end and sent only if the
        dose is still unticked and the next dose is not nearer (else dropped)."""
        return _caregiving(caregivers.update(_me(), {**data, "language": _language()}))


@blp.route("/caregiving/vapid-public-key")
class CaregivingVapidKey(MethodView):
    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.response(200, VapidPublicKeySchema)
    def get(self):
        """The server's VAPID public key, for the caregiver phone's pushManager.subscribe()."""
        return {"public_key": dispatch.get_vapid().public_key_b64url}


@blp.route("/caregiving/push-subscription")
class CaregivingPush(MethodView):
    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.arguments(PushSubscriptionInSchema)
    @blp.response(200, CaregivingSchema)
    def put(self, data: dict):
        """Register this caregiver phone's push subscription (one; a new one replaces it)."""
        endpoint_or_422(data["endpoint"])
        caregiver = caregivers.update(_me(), {"language": _language()})
        try:
            caregivers.set_push_subscription(
                caregiver, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"]
            )
        except caregivers.EndpointTaken:
            abort(
                409,
                message="This push endpoint belongs to another caregiver or a patient's device.",
                errors={"json": {"endpoint": ["Already registered elsewhere."]}},
            )
        return _caregiving(caregiver)

    @blp.doc(security=CAREGIVER_SECURITY)
    @caregiver_required
    @blp.response(204)
    def delete(self):
        """Forget this caregiver phone's push subscription."""
        caregivers.forget_push_subscription(_me())
