"""Schemas for pauses of a course (capsules stopped until the prescriber says to restart)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.api.schemas.common import sane_date
from backend.services.pauses import reasons

REASON_TEXT = (
    "Why the capsules stopped: the red flag key of the check-in, or the effect of an effect rule "
    "(`night_vision`, `headache`; backend/record/triage_rules.json), `mood_check` (the mood check's answers) "
    "or `prescriber` (the prescriber paused them)."
)
RESUMED_TEXT = "The first day with capsules again (the prescriber's restart); null: still paused."


class PauseCreateSchema(Schema):
    id = fields.UUID(
        metadata={
            "description": "Made by the client (optional): sending the same pause again returns the stored "
            "one (200) instead of adding another."
        }
    )
    started_on = fields.Date(
        required=True, validate=sane_date, metadata={"description": "The first local day without capsules."}
    )
    reason = fields.String(
        required=True, validate=validate.OneOf(reasons()), metadata={"description": REASON_TEXT}
    )
    resumed_on = fields.Date(
        load_default=None, allow_none=True, validate=sane_date, metadata={"description": RESUMED_TEXT}
    )


class PausePatchSchema(Schema):
    resumed_on = fields.Date(allow_none=True, validate=sane_date, metadata={"description": RESUMED_TEXT})
    started_on = fields.Date(validate=sane_date)
    reason = fields.String(validate=validate.OneOf(reasons()), metadata={"description": REASON_TEXT})

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        if not data:
            raise ValidationError("Give at least one of resumed_on, started_on, reason.", "_schema")


class PauseSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    started_on = fields.Date()
    resumed_on = fields.Date(allow_none=True, metadata={"description": RESUMED_TEXT})
    reason = fields.String(metadata={"description": REASON_TEXT})
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
