"""Schemas for the patient's own record: check-ins and triage, mood checks, supply, calendar feeds."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from backend.api.paging import CHECKINS_PAGE_MAX, limit_field
from backend.api.schemas.common import BoundedDate, StrictBoolean, StrictFloat, StrictInteger, plain_dumper
from backend.api.schemas.courses import DateRangeQuerySchema
from backend.i18n import LANGUAGES
from backend.record import triage

EFFECT_KEYS = triage.effect_keys()
RED_FLAG_KEYS = triage.red_flag_keys()
TRIAGE_LEVELS = ("emergency", "urgent", "routine", "none")
MOOD_ANSWERS = ("not_at_all", "several_days", "more_than_half_the_days", "nearly_every_day")
SEXUAL_FUNCTION_ANSWERS = ("no_change", "some_change", "big_change", "prefer_not_to_say")
MAX_CAPSULES = 1000
MAX_STRENGTH_MG = 80.0

_severity = validate.Range(min=0, max=triage.max_severity())

EffectsSchema = Schema.from_dict(
    {key: StrictInteger(load_default=None, allow_none=True, validate=_severity) for key in EFFECT_KEYS},
    name="CheckInEffects",
)


class CheckInPutSchema(Schema):
    skin = StrictInteger(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=10),
        metadata={
            "description": "How the skin looks today, 0 (clear) to 10 (the worst it has been); "
            "null or missing: not answered."
        },
    )
    effects = fields.Nested(
        EffectsSchema,
        load_default=dict,
        metadata={
            "description": "Common effects (EXP-8), each 0 none – 3 strong; null or missing: not answered "
            "(stored and shown as a gap, never as none)."
        },
    )
    red_flags = fields.List(
        fields.String(validate=validate.OneOf(RED_FLAG_KEYS)),
        load_default=list,
        validate=validate.Length(max=len(RED_FLAG_KEYS)),
        metadata={
            "description": "The red flags (RED-1..13) answered yes; empty for none. The pregnancy ones "
            "(pregnancy_risk, unprotected_sex) only on a course with pregnancy prevention, else 422."
        },
    )
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def _something_answered(self, data: dict, **kwargs) -> None:
        answered = [v for v in (data.get("effects") or {}).values() if v is not None]
        if data.get("skin") is None and not answered and not data.get("red_flags") and not data.get("note"):
            raise ValidationError(
                "Answer at least one question (skin, an effect, a red flag or a note).", "skin"
            )


class TriageActionSchema(Schema):
    key = fields.String()
    text = fields.String()
    facts = fields.List(fields.String())
    stops_capsules = fields.Boolean(
        metadata={"description": "True when the action says to stop the capsules (a pause can be recorded)."}
    )
    crisis = fields.Boolean(metadata={"description": "The action speaks of a crisis line."})
    text_without_line = fields.String(
        metadata={"description": "The wording for a country with no crisis line we can name (HELP-6)."}
    )


class TriageCallSchema(Schema):
    call = fields.String(validate=validate.OneOf(("emergency", "crisis", "clinic")))
    note = fields.String(allow_none=True, metadata={"description": "Words shown with the button."})


class TriageReasonSchema(Schema):
    kind = fields.String(validate=validate.OneOf(("red_flag", "effect", "severity", "streak")))
    key = fields.String()
    level = fields.String(validate=validate.OneOf(TRIAGE_LEVELS))
    days = fields.Integer(metadata={"description": "Streak: days with the effect in the window."})
    window_days = fields.Integer()
    facts = fields.List(fields.String())


class TriageSchema(Schema):
    level = fields.String(validate=validate.OneOf(TRIAGE_LEVELS))
    case = fields.String(
        validate=validate.OneOf(("emergency", "self_harm", *TRIAGE_LEVELS[1:])),
        metadata={
            "description": "Which button leads: emergency number, crisis line (self-harm alone), clinic."
        },
    )
    facts = fields.List(fields.String())
    actions = fields.List(fields.Nested(TriageActionSchema))
    reasons = fields.List(fields.Nested(TriageReasonSchema))
    calls = fields.List(
        fields.Nested(TriageCallSchema), metadata={"description": "The call buttons, in order."}
    )


class CheckInListQuerySchema(DateRangeQuerySchema):
    limit = limit_field("check-ins", CHECKINS_PAGE_MAX)


class CheckInSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    date = fields.Date()
    skin = fields.Integer(allow_none=True)
    effects = fields.Nested(EffectsSchema)
    red_flags = fields.List(fields.String(validate=validate.OneOf(RED_FLAG_KEYS)))
    note = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    triage = fields.Nested(TriageSchema)


# What CheckInSchema().dump(item) gives for a check-in with its triage (services.record.with_triage); a
# list of check-ins spent most of its time in marshmallow's per-field work (issue 16).
dump_checkin = plain_dumper(CheckInSchema)


class MoodPutSchema(Schema):
    interest = fields.String(
        required=True,
        validate=validate.OneOf(MOOD_ANSWERS),
        metadata={"description": "Over the last two weeks: little interest or joy in doing things."},
    )
    low_mood = fields.String(
        required=True,
        validate=validate.OneOf(MOOD_ANSWERS),
        metadata={"description": "Over the last two weeks: feeling down, low or hopeless."},
    )
    self_harm_thoughts = StrictBoolean(
        required=True,
        metadata={
            "description": "Since the last check: thoughts of being better off dead, of hurting oneself or "
            "of ending one's life."
        },
    )
    sexual_function = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(SEXUAL_FUNCTION_ANSWERS)
    )


class MoodFollowUpSchema(Schema):
    crisis = fields.Boolean(metadata={"description": "True when self-harm thoughts were reported."})
    stop = fields.Boolean(
        metadata={
            "description": "An action says to stop the capsules (MOOD-2 frequent answers, or self-harm)."
        }
    )
    actions = fields.List(fields.Nested(TriageActionSchema))
    calls = fields.List(
        fields.Nested(TriageCallSchema), metadata={"description": "The call buttons, in order."}
    )


class MoodSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    week = fields.String(metadata={"example": "2026-W13"})
    answered_on = fields.Date()
    interest = fields.String()
    low_mood = fields.String()
    self_harm_thoughts = fields.Boolean()
    sexual_function = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    follow_up = fields.Nested(MoodFollowUpSchema)


class WeekRangeQuerySchema(Schema):
    from_ = fields.String(data_key="from", load_default=None, metadata={"example": "2026-W01"})
    to = fields.String(load_default=None, metadata={"example": "2026-W13"})


class PickupCreateSchema(Schema):
    picked_up_on = BoundedDate(required=True)
    capsules = StrictInteger(required=True, validate=validate.Range(min=1, max=MAX_CAPSULES))
    strength_mg = StrictFloat(
        required=True, validate=validate.Range(min=0, max=MAX_STRENGTH_MG, min_inclusive=False)
    )


class PickupSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    picked_up_on = fields.Date()
    capsules = fields.Integer()
    strength_mg = fields.Float()
    created_at = fields.AwareDateTime()


class SupplySchema(Schema):
    pickups = fields.List(fields.Nested(PickupSchema))
    picked_up_mg = fields.Float(allow_none=True)
    taken_mg = fields.Float(allow_none=True)
    mg_left = fields.Float(allow_none=True)
    capsules_left = fields.Integer(allow_none=True)
    strength_mg = fields.Float(allow_none=True)
    mixed_strengths = fields.Boolean()
    runs_out_on = fields.Date(allow_none=True)
    runs_out_estimated = fields.Boolean()
    covers_to_last_capsule = fields.Boolean(metadata={"description": "Lasts to the confirmed last capsule."})
    next_supply_needed_on = fields.Date(allow_none=True)
    may_be_last_supply = fields.Boolean(
        metadata={
            "description": "The projected (not confirmed) last capsule comes first: this may be the last "
            "supply, but the dates stay (prescribers often go on past the total, DOSE-13)."
        }
    )
    today = fields.Date()


class FeedCreateSchema(Schema):
    course_id = fields.String(required=True, validate=validate.Length(min=1, max=36))
    include_doses = StrictBoolean(load_default=False)


class FeedSchema(Schema):
    id = fields.String()
    course_id = fields.String()
    include_doses = fields.Boolean()
    created_at = fields.AwareDateTime()
    last_fetched_at = fields.AwareDateTime(allow_none=True)


class FeedCreatedSchema(FeedSchema):
    url = fields.String(metadata={"description": "The secret https URL of the feed (shown once)."})
    webcal_url = fields.String(metadata={"description": "The same feed as webcal:// for one-tap subscribe."})


class ReportQuerySchema(Schema):
    from_ = BoundedDate(data_key="from", load_default=None)
    to = BoundedDate(load_default=None)
    lang = fields.String(
        load_default=None,
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Write the report in this language (en, es, de) instead of the patient's."},
    )

    @validates_schema
    def _check(self, data: dict, **kwargs) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("`from` must not be after `to`.", "from")


class ReportPdfQuerySchema(ReportQuerySchema):
    paper = fields.String(
        load_default=None,
        validate=validate.OneOf(("a4", "letter")),
        metadata={"description": "Paper size; default: letter for US and Canadian courses, A4 elsewhere."},
    )


class ReportSchema(Schema):
    """The doctor report, safety first; `cumulative_mg` and `cumulative_mg_per_kg` carry the names (and
    the weight basis) `today` uses; `dose` has mg/kg by the start and the latest weight."""

    language = fields.String(metadata={"description": "The language the report's texts are written in."})
    title = fields.String()
    disclaimer = fields.String()
    facts = fields.List(fields.String())
    from_ = fields.String(data_key="from", attribute="from")  # the dict key is "from"
    to = fields.String()
    generated_on = fields.String()
    patient_lines = fields.List(
        fields.String(), metadata={"description": "Labels of blank lines written by hand (no name kept)."}
    )
    patient_lines_note = fields.String()
    safety = fields.Dict(
        metadata={
            "description": "red_flags (each flag's runs of consecutive days: key, label, from, to, days), "
            "self_harm_yes with its weeks, pregnancy_tests (null when "
            "pregnancy prevention does not apply), none_note"
        }
    )
    course = fields.Dict(
        metadata={
            "description": "start, last capsule, product and its label, rule set (with its status and verify "
            "mark), the plan as prescribed (each dose's own mg)"
        }
    )
    weights = fields.List(fields.Dict(), metadata={"description": "each weight with its date; first: start"})
    dose = fields.Dict(
        metadata={
            "description": "cumulative mg from logged doses (a minimum), mg/kg by the start weight and by "
            "the latest weight when it differs, the target by the weight it is counted by, mg/kg/day now, "
            "the Absorica LD note (DOSE-12) for that product only"
        }
    )
    cumulative_mg = fields.Float()
    cumulative_mg_per_kg = fields.Float()
    target_mg = fields.Float(allow_none=True)
    target_percent = fields.Float(allow_none=True)
    adherence = fields.Dict(
        metadata={
            "description": "planned/taken/skipped/not-logged doses (never \"missed\": nothing was recorded), "
            "percent_taken, not_logged_ranges (runs of days as {from, to, days, doses}), skipped_days; "
            "paused_doses, paused_days (unlogged slots on paused days: not planned) and paused_day_count"
        }
    )
    pauses = fields.List(
        fields.Dict(),
        metadata={"description": "pauses in the range: started_on, resumed_on, reason, reason_label, days"},
    )
    checkins = fields.Dict(
        metadata={"description": "skin summary and series, effects (the red flags are in `safety`)"}
    )
    mood = fields.Dict(metadata={"description": "the weekly answers in words (never a score)"})
    appointments = fields.List(fields.Dict())
