"""Schemas for anonymous accounts, devices and link codes."""

from marshmallow import Schema, fields, validate


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
