"""Output schemas for the computed views: today and the timeline."""

from marshmallow import Schema, fields, validate


class ContentItemSchema(Schema):
    text = fields.String()
    facts = fields.List(fields.String(), metadata={"description": "Ids in docs/clinical-sources.md"})
    level = fields.String(
        validate=validate.OneOf(("emergency", "urgent", "today")),
        metadata={
            "description": "Red flags only (RED-13): emergency now, stop and call now, or the team today."
        },
    )


class RuleSetStatusSchema(ContentItemSchema):
    verify = fields.Boolean()


class RuleSetSchema(Schema):
    id = fields.String(metadata={"example": "us_ipledge_2026"})
    programme = fields.String(metadata={"example": "us_ipledge"})
    default = fields.Boolean(metadata={"description": "The programme's current rule set for new courses."})
    version = fields.String()
    title = fields.String()
    tests_before_start = fields.Integer(metadata={"description": "Pregnancy tests before the first capsule."})
    test_interval_days = fields.Integer()
    visit_interval_days = fields.Integer()
    pickup_window_days = fields.Integer(allow_none=True)
    lockout_days = fields.Integer(allow_none=True, metadata={"description": "Wait after a missed window."})
    home_tests = fields.Boolean(metadata={"description": "The prescriber may allow home pregnancy tests."})
    missed_dose = fields.Nested(ContentItemSchema)
    status = fields.Nested(
        RuleSetStatusSchema,
        allow_none=True,
        metadata={"description": "Whether the rules are in force yet; verify: true when not confirmed."},
    )
    facts = fields.List(fields.String())


class TargetReachedSchema(ContentItemSchema):
    on = fields.Date(metadata={"description": "The logged day the total reached the target."})


class PhaseSchema(Schema):
    key = fields.String()
    title = fields.String()
    summary = fields.String()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    estimated = fields.Boolean(
        metadata={"description": "The dates rest on a projection, not a confirmed end."}
    )
    current = fields.Boolean()
    expectations = fields.List(fields.Nested(ContentItemSchema))
    tips = fields.List(fields.Nested(ContentItemSchema))
    report_now = fields.List(fields.Nested(ContentItemSchema))


class BookedSchema(Schema):
    appointment_id = fields.String()
    starts_at = fields.String(metadata={"description": "Local wall-clock time in the course's zone"})
    place = fields.String(allow_none=True)


class MilestoneSchema(Schema):
    kind = fields.String()
    date = fields.Date()
    title = fields.String()
    description = fields.String()
    facts = fields.List(fields.String())
    estimated = fields.Boolean(
        metadata={"description": "True while the date rests on a projection (e.g. before ended_on is set)."}
    )
    state = fields.String(
        metadata={
            "description": "upcoming | done (passed: reached, confirmed, booked, or the patient said so) | "
            "missed (a past usual visit or test with no appointment booked and no answer) | not_done | "
            "unknown (the patient's answers)"
        }
    )
    booked = fields.Nested(
        BookedSchema,
        allow_none=True,
        metadata={"description": "The booked appointment in place of the usual date (same kind and month)"},
    )
    appointment_kind = fields.String(
        allow_none=True, metadata={"description": "The appointment kind that books this visit or test"}
    )


class TodayDoseSchema(Schema):
    slot = fields.Integer()
    time = fields.String(metadata={"example": "08:00"})
    mg = fields.Float()
    status = fields.String(
        metadata={
            "description": "pending | taken | skipped | paused (not logged on a day the capsules are paused)"
        }
    )
    dose_id = fields.String(allow_none=True)
    taken_at = fields.AwareDateTime(allow_none=True)


class CurrentPauseSchema(Schema):
    id = fields.String()
    started_on = fields.Date()
    resumed_on = fields.Date(allow_none=True)
    reason = fields.String()
    text = fields.String(metadata={"description": "What a pause means for the patient"})
    facts = fields.List(fields.String())


PAUSE_FIELD = {
    "allow_none": True,
    "metadata": {"description": "The pause covering this day while the course is on (null: not paused)."},
}


class MissingLogSchema(Schema):
    date = fields.Date()
    slot = fields.Integer()
    mg = fields.Float()


class MgPerKgWeightSchema(Schema):
    weight_kg = fields.Float()
    recorded_on = fields.Date(allow_none=True)
    basis = fields.String(
        validate=validate.OneOf(("start", "rebased")),
        metadata={
            "description": "start: the weight at the start (the default); rebased: a later weight the "
            "prescriber re-based the plan on. mg/kg and the target in mg are counted by this weight."
        },
    )


class AfterCourseItemSchema(ContentItemSchema):
    key = fields.String(metadata={"example": "blood_donation"})
    date = fields.Date(metadata={"description": "Written out in place of {date} in the text."})
    until = fields.Date(
        allow_none=True, metadata={"description": "The day it ends (null: a test result ends it)."}
    )


class LastCapsuleSchema(ContentItemSchema):
    date = fields.Date()


class AfterCourseSchema(Schema):
    last_capsule_on = fields.Date()
    last_capsule = fields.Nested(LastCapsuleSchema)
    summary = fields.Nested(ContentItemSchema)
    still_applies = fields.List(
        fields.Nested(AfterCourseItemSchema),
        metadata={"description": "Each precaution that still applies; each is gone from its own date."},
    )


class TodaySchema(Schema):
    course_id = fields.String()
    date = fields.Date()
    day_of_course = fields.Integer(allow_none=True)
    week_of_course = fields.Integer(allow_none=True)
    status = fields.String(
        metadata={"description": "not_started | active | finished (finished only after a confirmed ended_on)"}
    )
    ended_on = fields.Date(allow_none=True)
    pause = fields.Nested(CurrentPauseSchema, **PAUSE_FIELD)
    paused_days = fields.Integer(
        metadata={"description": "Days of the course so far on which capsules were paused"}
    )
    target_reached = fields.Nested(
        TargetReachedSchema,
        allow_none=True,
        metadata={"description": "Set once the logged total reaches the target while the course goes on."},
    )
    phase = fields.Nested(PhaseSchema)
    after_course = fields.Nested(
        AfterCourseSchema,
        allow_none=True,
        metadata={"description": "From the recorded last capsule on: its day and what applies until when."},
    )
    doses = fields.List(fields.Nested(TodayDoseSchema))
    with_food = fields.Boolean()
    dose_guidance = fields.List(fields.Nested(ContentItemSchema))
    while_on = fields.List(fields.Nested(ContentItemSchema))
    cumulative_mg = fields.Float()
    cumulative_mg_per_kg = fields.Float()
    mg_per_kg_weight = fields.Nested(MgPerKgWeightSchema)
    target_mg = fields.Float(allow_none=True)
    target_mg_per_kg = fields.Float(allow_none=True)
    target_percent = fields.Float(allow_none=True)
    target_note = fields.Nested(ContentItemSchema, allow_none=True)
    projected_last_dose_on = fields.Date(allow_none=True)
    last_dose_estimated = fields.Boolean()
    days_remaining = fields.Integer(allow_none=True)
    missing_logs = fields.List(fields.Nested(MissingLogSchema))
    missing_logs_count = fields.Integer()
    next_milestones = fields.List(fields.Nested(MilestoneSchema))
    rule_set = fields.Nested(RuleSetSchema)
    disclaimer = fields.String()


class TimelineSchema(Schema):
    course_id = fields.String()
    today = fields.Date()
    current_phase = fields.String()
    projected_last_dose_on = fields.Date(allow_none=True)
    last_dose_estimated = fields.Boolean()
    ended_on = fields.Date(allow_none=True)
    pause = fields.Nested(CurrentPauseSchema, **PAUSE_FIELD)
    target_reached = fields.Nested(TargetReachedSchema, allow_none=True)
    phases = fields.List(fields.Nested(PhaseSchema))
    milestones = fields.List(fields.Nested(MilestoneSchema))
    mg_per_kg_weight = fields.Nested(MgPerKgWeightSchema)
    while_on = fields.List(fields.Nested(ContentItemSchema))
    report_now = fields.List(fields.Nested(ContentItemSchema))
    rule_set = fields.Nested(RuleSetSchema)
    disclaimer = fields.String()
