"""Anonymous patients, linked devices, export and erasure."""

from __future__ import annotations

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.files import QUEUED, FileJobSchema, queue
from backend.api.limits import check_link_code_cap
from backend.api.schemas.accounts import (
    DeviceCreatedSchema,
    DeviceSchema,
    LinkCodeSchema,
    PatientCreatedSchema,
    PatientCreateSchema,
    PatientSchema,
    PatientUpdateSchema,
    RedeemCodeSchema,
)
from backend.api.schemas.courses import CourseSchema, DoseSchema
from backend.auth import SECURITY, auth_required, current_device, current_patient_id
from backend.extensions import limiter
from backend.i18n import best_match, current_locale, set_locale
from backend.models.types import utcnow
from backend.services import accounts

blp = Blueprint("accounts", __name__, description="Anonymous accounts, devices, export and erasure")


def _account_limit() -> str:
    return current_app.config["ACCOUNT_CREATE_LIMIT"]


@blp.route("/patients")
class Patients(MethodView):
    decorators = [limiter.limit(_account_limit, methods=["POST"])]

    @blp.arguments(PatientCreateSchema, required=False)
    @blp.response(201, PatientCreatedSchema)
    def post(self, data: dict | None):
        """Create an anonymous patient (optionally with the language chosen at set-up); the token is
        returned only this once."""
        data = data or {}
        patient, device, token = accounts.create_patient(data.get("label"), data.get("language"))
        return {"id": patient.id, "token": token, "device_id": device.id}


@blp.route("/link-codes")
class LinkCodes(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(201, LinkCodeSchema)
    @blp.alt_response(409, description="MAX_LINK_CODES_PER_PATIENT unused codes already exist.")
    @auth_required
    def post(self):
        """Create a one-use code (valid 10 minutes) that links another device to this patient.

        At most MAX_LINK_CODES_PER_PATIENT unused codes at a time (409 beyond)."""
        check_link_code_cap(current_patient_id())
        code, link = accounts.create_link_code(
            current_patient_id(), current_app.config["LINK_CODE_TTL_MINUTES"]
        )
        return {"code": code, "expires_at": link.expires_at}


@blp.route("/devices")
class Devices(MethodView):
    decorators = [limiter.limit("10 per minute", methods=["POST"])]

    @blp.arguments(RedeemCodeSchema)
    @blp.response(201, DeviceCreatedSchema)
    @blp.alt_response(404, description="The code is unknown, used or expired.")
    @blp.alt_response(409, description="The account already has MAX_DEVICES_PER_PATIENT devices.")
    def post(self, data: dict):
        """Redeem a link code and receive a token for this new device."""
        try:
            redeemed = accounts.redeem_link_code(
                data["code"], data.get("label"), current_app.config["MAX_DEVICES_PER_PATIENT"]
            )
        except accounts.DeviceLimitReached as full:
            abort(409, message=f"At most {full.limit} devices per account; unlink one in Settings first.")
        if redeemed is None:
            abort(
                404,
                message="That code is unknown, already used or expired.",
                errors={"json": {"code": ["Not valid."]}},
            )
        device, token = redeemed
        return {"id": device.id, "patient_id": device.patient_id, "token": token}

    @blp.doc(security=SECURITY)
    @blp.response(200, DeviceSchema(many=True))
    @auth_required
    def get(self):
        """List the devices linked to this patient."""
        me = current_device().id
        return [_device_out(d, me) for d in accounts.list_devices(current_patient_id())]


def _device_out(device, current_id: str) -> dict:
    return {
        "id": device.id,
        "label": device.label,
        "created_at": device.created_at,
        "last_seen_at": device.last_seen_at,
        "current": device.id == current_id,
    }


@blp.route("/devices/<string:device_id>")
class DeviceById(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, DeviceSchema)
    @blp.alt_response(404, description="No such device for this patient.")
    @auth_required
    def get(self, device_id: str):
        """One linked device."""
        device = accounts.get_device(current_patient_id(), device_id)
        if device is None:
            abort(404, message="No such device.")
        return _device_out(device, current_device().id)

    @blp.doc(security=SECURITY)
    @blp.response(204)
    @blp.alt_response(404, description="No such device for this patient.")
    @blp.alt_response(409, description="The account's last device: erase everything instead.")
    @auth_required
    def delete(self, device_id: str):
        """Unlink a device; its token stops working at once. The last device stays (409): without
        it no one could export or erase the data; use DELETE /me to erase everything instead."""
        device = accounts.get_device(current_patient_id(), device_id)
        if device is None:
            abort(404, message="No such device.")
        if not accounts.delete_device(device):
            abort(
                409,
                message="This is the account's only device; to remove it, erase everything (DELETE /me).",
            )


def export_json(records: accounts.PatientRecords) -> dict:
    """The export format (clearcourse-export/1): the records dumped with the API's own schemas."""
    data: dict = {
        "format": "clearcourse-export/1",
        "exported_at": utcnow().isoformat(),
        "patient": {
            "id": records.patient.id,
            "created_at": records.patient.created_at.isoformat(),
            "language": records.patient.language,
        },
        "devices": DeviceSchema(many=True, exclude=("current",)).dump(records.devices),
        "courses": [
            {**CourseSchema().dump(course), "doses": DoseSchema(many=True).dump(doses)}
            for course, doses in records.courses
        ],
    }
    data.update(records.sections)
    return data


@blp.route("/me/export")
class Export(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(202, FileJobSchema, description=QUEUED)
    @blp.alt_response(429, description="Too many files asked for lately; Retry-After says when to ask again.")
    def post(self):
        """Ask for all of this patient's data as JSON (clearcourse-export/1). The background worker makes
        it; poll `GET /files/{id}` (the Location), then download its `file_url` before it expires."""
        return queue("export", {"language": current_locale()})


def _patient_out(patient) -> dict:
    set_locale(patient.language or best_match(request.headers.get("Accept-Language")))
    return {
        "id": patient.id,
        "created_at": patient.created_at,
        "language": patient.language,
        "language_in_use": current_locale(),
    }


@blp.route("/me")
class Me(MethodView):
    @blp.doc(security=SECURITY)
    @blp.response(200, PatientSchema)
    @auth_required
    def get(self):
        """This patient: when it was created and the language the server writes in."""
        return _patient_out(accounts.get_patient(current_patient_id()))

    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(PatientUpdateSchema)
    @blp.response(200, PatientSchema)
    def patch(self, data: dict):
        """Set the language notifications, the report, the calendar feed and every API text are written
        in (`null`: follow the phone's Accept-Language)."""
        return _patient_out(accounts.set_language(current_patient_id(), data["language"]))

    @blp.doc(security=SECURITY)
    @blp.response(204)
    @auth_required
    def delete(self):
        """Erase this patient and everything that belongs to them."""
        accounts.erase_patient(current_patient_id())
