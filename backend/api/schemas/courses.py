"""Schemas for courses, dose plans and the dose log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from backend.api.paging import limit_field
from backend.api.schemas.common import (
    BoundedAwareDateTime,
    LocalTime,
    StrictBoolean,
    StrictFloat,
    StrictInteger,
    TimeZoneName,
    sane_date,
)
from backend.api.schemas.pauses import PauseSchema
from backend.course.helplines import country_codes
from backend.course.rules import load_rule_sets, rule_set_ids

# "food_independent": with or without food, standard mg (e.g. original Absorica); "micronised": Absorica LD,
# also with or without food, whose mg do not compare one-for-one with standard capsules (DOSE-5, DOSE-12).
PRODUCTS = ("standard", "food_independent", "micronised")
PROGRAMMES = ("us_ipledge", "eu_ppp", "none")
DOSE_STATUSES = ("taken", "skipped")
MAX_DAILY_MG = 300.0

PHONE_PATTERN = r"^(?=(?:\D*\d){3})\+?[0-9(][0-9 ()./-]{2,30}$"  # at least 3 digits
_mg = validate.Range(min=0, max=MAX_DAILY_MG, min_inclusive=False)
_sane_date = sane_date


class PlannedDoseSchema(Schema):
    time = LocalTime(required=True, metadata={"example": "08:00"})
    mg = StrictFloat(required=True, validate=_mg, metadata={"example": 40})


class DoseSegmentSchema(Schema):
    """From `from_date` on: a fixed mg/day or a repeating cycle, split evenly over 1–2 daily doses; or
    `doses`, each dose with its own time and mg as prescribed (e.g. 40 mg at 08:00 and 20 mg at 20:00)."""

    from_date = fields.Date(required=True, validate=_sane_date)
    daily_mg = StrictFloat(load_default=None, allow_none=True, validate=_mg)
    cycle_mg = fields.List(
        StrictFloat(validate=_mg),
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=2, max=14),
        metadata={"example": [40, 80]},
    )
    doses_per_day = StrictInteger(
        load_default=None,
        validate=validate.OneOf([1, 2]),
        metadata={"description": "Required unless `doses` is given."},
    )
    dose_times = fields.List(
        LocalTime(),
        load_default=None,
        validate=validate.Length(min=1, max=2),
        metadata={"example": ["08:00"], "description": "Required unless `doses` is given."},
    )
    doses = fields.List(
        fields.Nested(PlannedDoseSchema),
        load_default=None,
        validate=validate.Length(min=1, max=2),
        metadata={
            "description": "Each dose of the day with its own amount, as prescribed; instead of "
            "`daily_mg` + `doses_per_day` + `dose_times` (their even split is the shorthand; given "
            "beside `doses`, they must agree with it).",
            "example": [{"time": "08:00", "mg": 40}, {"time": "20:00", "mg": 20}],
        },
    )

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        doses = data.get("doses")
        if doses is not None:
            # The stored form repeats the shorthand fields beside `doses`; given back, they must agree.
            times = [d["time"] for d in doses]
            if sorted(set(times)) != times:
                raise ValidationError("Times must be different and in order through the day.", "doses")
            derived = {
                "doses_per_day": len(doses),
                "dose_times": times,
                "daily_mg": sum(d["mg"] for d in doses),
                "cycle_mg": None,
            }
            for name, value in derived.items():
                given = data.get(name)
                if given is None:
                    continue
                if abs(given - value) > 1e-6 if name == "daily_mg" else given != value:
                    raise ValidationError(f"{name} does not match doses; give doses alone.", name)
            return
        has_daily = data.get("daily_mg") is not None
        has_cycle = data.get("cycle_mg") is not None
        if has_daily == has_cycle:
            raise ValidationError("Give either daily_mg or cycle_mg (exactly one), or doses.", "daily_mg")
        if data.get("doses_per_day") is None:
            raise ValidationError("Missing data for required field.", "doses_per_day")
        times = data.get("dose_times")
        if times is None:
            raise ValidationError("Missing data for required field.", "dose_times")
        if len(times) != data.get("doses_per_day"):
            raise ValidationError("Give one time per dose of the day.", "dose_times")
        if sorted(set(times)) != times:
            raise ValidationError("Times must be different and in order through the day.", "dose_times")

    @post_load
    def _per_dose(self, data: dict, **kwargs) -> dict:
        """`doses` becomes the plan's own fields: times, count, the day's total and each dose's mg."""
        doses = data.pop("doses", None)
        if doses is not None:
            data.update(
                doses_per_day=len(doses),
                dose_times=[d["time"] for d in doses],
                daily_mg=sum(d["mg"] for d in doses),
                dose_mg=[d["mg"] for d in doses],
            )
        return data


def check_plan(
    plan: list[dict],
    start_date: date | None,
    ended_on: date | None = None,
    today: date | None = None,
    programme: str | None = None,
    rule_set: str | None = None,
) -> None:
    """Cross-field rules for a whole course: ordered unique segments covering the start date, a last
    capsule between the start and the patient's today, a rule set of the course's programme."""
    errors: dict[str, list[str]] = {}
    dates = [segment["from_date"] for segment in plan]
    if len(set(dates)) != len(dates):
        errors["dose_plan"] = ["Two segments start on the same date."]
    elif start_date is not None and dates and min(dates) > start_date:
        errors["dose_plan"] = ["The first segment must start on or before start_date."]
    if ended_on is not None and start_date is not None and ended_on < start_date:
        errors["ended_on"] = ["The last capsule cannot come before start_date."]
    elif ended_on is not None and today is not None and ended_on > today:
        errors["ended_on"] = [f"The last capsule cannot be in the future (today is {today.isoformat()})."]
    if rule_set is not None and programme is not None and load_rule_sets()[rule_set].programme != programme:
        errors["rule_set"] = [
            f"Rule set {rule_set!r} belongs to another programme; use one of {rule_set_ids(programme)}."
        ]
    if errors:
        raise ValidationError(errors)


KG_PER_LB = 0.45359237
WEIGHT_RANGES = {"kg": (20.0, 350.0), "lb": (44.0, 771.0)}  # the same bounds in either unit
START_CONFIRM_PAST_DAYS = 365
START_CONFIRM_FUTURE_DAYS = 60
START_EARLIEST_DAYS = 730


def _weight_range_message(unit: str) -> str:
    low, high = WEIGHT_RANGES[unit]
    return f"Enter a weight between {low:g} and {high:g} {unit}."


class CourseFieldsSchema(Schema):
    start_date = fields.Date(required=True, validate=_sane_date)
    weight_kg = StrictFloat(
        validate=validate.Range(*WEIGHT_RANGES["kg"], error=_weight_range_message("kg")),
        metadata={"description": "Required unless `weight` and `weight_unit` are given."},
    )
    weight = StrictFloat(
        load_only=True,
        metadata={"description": "The weight in `weight_unit` (kg 20–350, lb 44–771); stored as weight_kg."},
    )
    weight_unit = fields.String(load_only=True, validate=validate.OneOf(tuple(WEIGHT_RANGES)))
    target_mg_per_kg = StrictFloat(
        load_default=120.0,
        allow_none=True,
        validate=validate.Range(min=10, max=400),
        metadata={"description": "Cumulative target; null for a low-dose course without one."},
    )
    timezone = TimeZoneName(required=True, metadata={"example": "Europe/Berlin"})
    product = fields.String(required=True, validate=validate.OneOf(PRODUCTS))
    programme = fields.String(required=True, validate=validate.OneOf(PROGRAMMES))
    pregnancy_prevention = StrictBoolean(required=True)
    dose_plan = fields.List(
        fields.Nested(DoseSegmentSchema), required=True, validate=validate.Length(min=1, max=60)
    )
    ended_on = fields.Date(
        load_default=None,
        allow_none=True,
        validate=_sane_date,
        metadata={
            "description": "The last capsule, once the prescriber has stopped them (from start_date to "
            "the patient's today). Until it is set the course is on, whatever the cumulative total; "
            "null undoes it."
        },
    )
    rule_set = fields.String(
        validate=validate.OneOf(rule_set_ids()),
        metadata={
            "description": "The programme's rule set (GET /rule-sets); "
            "defaults to the programme's current one."
        },
    )
    country = fields.String(
        allow_none=True,
        validate=validate.OneOf(country_codes()),
        metadata={
            "description": "ISO 3166 code for the help numbers; defaults from the time zone; "
            "null: not listed.",
            "example": "GB",
        },
    )
    clinic_phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            PHONE_PATTERN, error="Use digits, spaces and + ( ) - . only, 3 to 32 characters."
        ),
        metadata={
            "description": "The prescriber's clinic, to call from the help screen.",
            "example": "+44 20 7946 0000",
        },
    )

    @validates_schema
    def _check_weight(self, data: dict, **kwargs) -> None:
        if "weight" not in data and "weight_unit" not in data:
            return
        if "weight_kg" in data:
            raise ValidationError("Give weight_kg or weight with weight_unit, not both.", "weight")
        if "weight" not in data:
            raise ValidationError("Give the weight in this unit too.", "weight")
        unit = data.get("weight_unit")
        if unit is None:
            raise ValidationError("Say whether the weight is in kg or lb.", "weight_unit")
        low, high = WEIGHT_RANGES[unit]
        if not low <= data["weight"] <= high:
            raise ValidationError(_weight_range_message(unit), "weight")

    @post_load
    def _to_kg(self, data: dict, **kwargs) -> dict:
        if "weight" in data:
            factor = KG_PER_LB if data.pop("weight_unit") == "lb" else 1.0
            data["weight_kg"] = round(data.pop("weight") * factor, 2)
        return data


def _confirm_start_date() -> StrictBoolean:
    return StrictBoolean(
        load_default=False,
        metadata={
            "description": f"Required (true) for a start_date more than {START_CONFIRM_PAST_DAYS} days ago "
            f"or more than {START_CONFIRM_FUTURE_DAYS} days ahead of the course's today (a start more "
            f"than {START_EARLIEST_DAYS} days ago is refused either way)."
        },
    )


class CourseCreateSchema(CourseFieldsSchema):
    confirm_start_date = _confirm_start_date()

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def _require_weight(self, data: dict, original: object, **kwargs) -> None:
        given = original if isinstance(original, dict) else {}
        if "weight_kg" not in given and "weight" not in given:
            raise ValidationError("Give weight_kg, or weight with weight_unit.", "weight_kg")

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        zone = data.get("timezone")
        check_plan(
            data.get("dose_plan") or [],
            data.get("start_date"),
            data.get("ended_on"),
            today=datetime.now(ZoneInfo(zone)).date() if zone else None,
            programme=data.get("programme"),
            rule_set=data.get("rule_set"),
        )


class CoursePatchSchema(CourseFieldsSchema):
    """Any course field (none required), plus a plan change from a date and the start-date confirmation."""

    dose_plan_change = fields.Nested(
        DoseSegmentSchema,
        metadata={
            "description": "The plan from `from_date` on: replaces every segment starting on or after it "
            "and keeps the earlier ones. Not together with `dose_plan`."
        },
    )
    weight_rebased = StrictBoolean(
        load_only=True,
        metadata={
            "description": "True: the prescriber re-based the plan on this weight (with `weight_kg` or "
            "`weight`, or alone for the latest weight); mg/kg is then counted by it. Otherwise a new weight "
            "is kept in the history and mg/kg stays counted by the weight at the start."
        },
    )
    confirm_start_date = _confirm_start_date()

    @validates_schema
    def _check_plan_change(self, data: dict, **kwargs) -> None:
        if "dose_plan_change" in data and "dose_plan" in data:
            raise ValidationError("Give dose_plan or dose_plan_change, not both.", "dose_plan_change")


COURSE_PATCH_FIELDS = (
    *CourseFieldsSchema._declared_fields,
    "dose_plan_change",
    "confirm_start_date",
    "weight_rebased",
)


class WeightRecordSchema(Schema):
    recorded_on = fields.Date()
    weight_kg = fields.Float()
    rebased = fields.Boolean()


class CourseSchema(Schema):
    id = fields.String()
    start_date = fields.Date()
    weight_kg = fields.Float(metadata={"description": "The latest weight."})
    weights = fields.List(
        fields.Nested(WeightRecordSchema),
        metadata={"description": "Every weight with the local date it was recorded; the first is the start."},
    )
    target_mg_per_kg = fields.Float(allow_none=True)
    timezone = fields.String()
    product = fields.String()
    programme = fields.String()
    rule_set = fields.String()
    country = fields.String(allow_none=True)
    clinic_phone = fields.String(allow_none=True)
    pregnancy_prevention = fields.Boolean()
    dose_plan = fields.List(fields.Dict())
    ended_on = fields.Date(allow_none=True)
    pauses = fields.List(
        fields.Nested(PauseSchema),
        metadata={"description": "Every pause of the capsules, oldest first (POST …/pauses starts one)."},
    )
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class DosePutSchema(Schema):
    date = fields.Date(required=True, validate=_sane_date)
    slot = StrictInteger(required=True, validate=validate.Range(min=1, max=2))
    status = fields.String(required=True, validate=validate.OneOf(DOSE_STATUSES))
    mg = StrictFloat(required=True, validate=validate.Range(min=0, max=MAX_DAILY_MG))
    taken_at = BoundedAwareDateTime(load_default=None, allow_none=True)

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        if data.get("status") == "taken" and data.get("taken_at") is None:
            raise ValidationError("Say when the dose was taken (ISO 8601 with an offset).", "taken_at")
        if data.get("status") == "skipped" and data.get("taken_at") is not None:
            raise ValidationError("A skipped dose has no taken_at.", "taken_at")


MAX_BATCH_DOSES = 1000


class DoseBatchItemSchema(DosePutSchema):
    id = fields.UUID(required=True, metadata={"description": "Made by the client, as for the single PUT."})


class DoseBatchSchema(Schema):
    doses = fields.List(
        fields.Nested(DoseBatchItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH_DOSES),
        metadata={"description": f"1 to {MAX_BATCH_DOSES} doses, stored all together or not at all."},
    )


class DosePatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(DOSE_STATUSES))
    mg = StrictFloat(validate=validate.Range(min=0, max=MAX_DAILY_MG))
    taken_at = BoundedAwareDateTime(
        allow_none=True,
        metadata={
            "description": "ISO 8601 with an offset, from 2000-01-01 to 2100-01-01; null only with status "
            "skipped; changing to skipped clears it."
        },
    )

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        if not data:
            raise ValidationError("Give at least one of taken_at, status, mg.", "_schema")


class DoseSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    date = fields.Date()
    slot = fields.Integer()
    status = fields.String()
    mg = fields.Float()
    taken_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def dump_dose(dose: Any) -> dict[str, Any]:
    """`DoseSchema().dump(dose)` without marshmallow's per-field work (a dose list page holds up to
    200); kept equal to the schema by a test."""
    return {
        "id": dose.id,
        "course_id": dose.course_id,
        "date": _iso(dose.date),
        "slot": dose.slot,
        "status": dose.status,
        "mg": float(dose.mg) if dose.mg is not None else None,
        "taken_at": _iso(dose.taken_at),
        "created_at": _iso(dose.created_at),
    }


class DoseOutcomeSchema(Schema):
    id = fields.String()
    outcome = fields.String(
        metadata={"description": "`created` (stored now) or `replayed` (already stored, identical)."}
    )
    dose = fields.Nested(DoseSchema)


class DoseBatchResultSchema(Schema):
    created = fields.Integer()
    replayed = fields.Integer()
    results = fields.List(fields.Nested(DoseOutcomeSchema), metadata={"description": "In request order."})


class DateRangeQuerySchema(Schema):
    from_ = fields.Date(data_key="from", load_default=None, validate=_sane_date)
    to = fields.Date(load_default=None, validate=_sane_date)

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("`from` must not be after `to`.", "from")


class DoseListQuerySchema(DateRangeQuerySchema):
    limit = limit_field("days with a logged dose")


class DateQuerySchema(Schema):
    date = fields.Date(
        load_default=None,
        validate=_sane_date,
        metadata={"description": "The patient's local date; defaults to today in the course's time zone."},
    )
