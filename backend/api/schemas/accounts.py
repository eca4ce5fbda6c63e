"""Schemas for anonymous accounts, devices and link codes."""

from marshmallow import Schema, fields, validate

from backend.i18n import LANGUAGES


class PatientCreatedSchema(Schema):
    id = fields.String(required=True)
    token = fields.String(required=True, metadata={"description": "Shown once; keep it on the device."})
    device_id = fields.String(required=True)


class LinkCodeSchema(Schema):
    code = fields.String(required=True, metadata={"example": "K7MQ-2XHD"})
    expires_at = fields.AwareDateTime(required=True)


class RedeemCodeSchema(Schema):
    code = fields.String(required=True, validate=validate.Length(min=4, max=20))
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))


class DeviceCreatedSchema(Schema):
    id = fields.String(required=True)
    patient_id = fields.String(required=True)
    token = fields.String(required=True)


class DeviceSchema(Schema):
    id = fields.String()
    label = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    last_seen_at = fields.AwareDateTime(allow_none=True)
    current = fields.Boolean()


class DeviceLabelSchema(Schema):
    label = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=80))


LANGUAGE_FIELD_DOC = {
    "description": "The language the app and the server write in (notifications, report, calendar feed): "
    "en, es or de; null follows the phone (Accept-Language).",
    "example": "es",
}


class PatientCreateSchema(DeviceLabelSchema):
    language = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(LANGUAGES), metadata=LANGUAGE_FIELD_DOC
    )


class PatientSchema(Schema):
    id = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    language = fields.String(allow_none=True, required=True, metadata=LANGUAGE_FIELD_DOC)
    language_in_use = fields.String(
        required=True, metadata={"description": "The language this response's texts are written in."}
    )


class PatientUpdateSchema(Schema):
    language = fields.String(
        required=True, allow_none=True, validate=validate.OneOf(LANGUAGES), metadata=LANGUAGE_FIELD_DOC
    )
