"""Capsule pick-ups and the supply they leave (capsules left, the day they run out)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.limits import check_pickup_cap
from backend.api.owned import COURSE_NOT_FOUND, course_or_404, reject
from backend.api.schemas.record import PickupCreateSchema, PickupSchema, SupplySchema
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.services import record
from backend.services.record import RecordRejected

blp = Blueprint("supply", __name__, description="Capsule pick-ups and supply")


@blp.route("/courses/<string:course_id>/supply")
class Supply(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, SupplySchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, course_id: str):
        """Pick-ups, mg and capsules left, and the day the supply runs out at the current plan (an
        estimate); the numbers are null until a pick-up is recorded."""
        return record.supply_view(course_or_404(course_id))


@blp.route("/courses/<string:course_id>/supply/pickups")
class Pickups(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PickupCreateSchema)
    @blp.response(201, PickupSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(409, description="The account already holds MAX_PICKUPS_PER_PATIENT pick-ups.")
    def post(self, data: dict, course_id: str):
        """Record capsules collected (count × strength in mg); the refill reminder follows the new supply.
        At most MAX_PICKUPS_PER_PATIENT over all courses (409 beyond)."""
        course = course_or_404(course_id)
        check_pickup_cap(current_patient_id())
        try:
            return record.add_pickup(course, data)
        except RecordRejected as err:
            reject(err)


@blp.route("/courses/<string:course_id>/supply/pickups/<string:pickup_id>")
class PickupById(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(204)
    @blp.alt_response(404, description="No such pick-up.")
    def delete(self, course_id: str, pickup_id: str):
        """Delete a pick-up recorded by mistake."""
        course = course_or_404(course_id)
        pickup = record.get_pickup(course, pickup_id)
        if pickup is None:
            abort(404, message="No such pick-up.")
        record.delete_pickup(course, pickup)
