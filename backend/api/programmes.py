"""Programme rule sets and help numbers: public reference data the PWA also bundles for offline use."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from backend.api.blueprint import Blueprint
from backend.api.schemas.sources import SourceLinkSchema
from backend.api.schemas.views import RuleSetSchema
from backend.course.helplines import load_helplines
from backend.course.rules import load_rule_sets

blp = Blueprint("programmes", __name__, description="Programme rule sets and help numbers")


class EmergencyNumberSchema(Schema):
    number = fields.String(metadata={"example": "112"})
    also = fields.String(metadata={"description": "Another emergency number of the country, with its use."})
    facts = fields.List(fields.String())


class HelpLineSchema(Schema):
    name = fields.String()
    number = fields.String()
    also = fields.String(metadata={"description": "A second number of the same line."})
    sms = fields.String(allow_none=True, metadata={"description": "A number that also takes text messages."})
    free = fields.Boolean(allow_none=True, metadata={"description": "null: the facts do not say."})
    hours = fields.String(
        allow_none=True, metadata={"description": "null: the facts do not say (see verify)."}
    )
    note = fields.String(metadata={"description": "What the facts hold about cost and hours, in words."})
    verify = fields.List(fields.String(), metadata={"description": "What the facts mark to be checked."})
    text = fields.Dict(metadata={"description": "A text line of the same service: {number, keyword}."})
    in_language = fields.Dict(
        metadata={
            "description": "The line answers in these app languages too ({languages, text, facts}): "
            "shown to a patient who reads one of them (the US 988 in Spanish, HELP-4)."
        }
    )
    facts = fields.List(fields.String())
    source = fields.Nested(SourceLinkSchema)


class TextLineSchema(Schema):
    name = fields.String()
    number = fields.String()
    keyword = fields.String(
        allow_none=True, metadata={"description": "The word to send, if the line asks one."}
    )
    note = fields.String()
    verify = fields.List(fields.String())
    facts = fields.List(fields.String())
    source = fields.Nested(SourceLinkSchema)


class HelplineSchema(Schema):
    code = fields.String(metadata={"example": "GB"})
    name = fields.String()
    emergency = fields.Nested(EmergencyNumberSchema)
    crisis = fields.List(
        fields.Nested(HelpLineSchema),
        metadata={"description": "Crisis lines (HELP-1, HELP-3); empty where we can name none (HELP-6)."},
    )
    text_line = fields.Nested(TextLineSchema, allow_none=True)
    youth = fields.List(
        fields.Nested(HelpLineSchema),
        metadata={
            "description": "Lines for young people, shown to patients who say they are under 18 (HELP-5)."
        },
    )
    zones = fields.List(fields.String())


@blp.route("/rule-sets")
class RuleSets(MethodView):
    @blp.response(200, RuleSetSchema(many=True))
    def get(self):
        """Every programme rule set (PRODUCT-2, PREG-4); a course names one in `rule_set`."""
        return [rules.summary() for rules in load_rule_sets().values()]


@blp.route("/helplines")
class Helplines(MethodView):
    @blp.response(200, HelplineSchema(many=True))
    def get(self):
        """Emergency numbers, crisis, text and youth lines per country (HELP-1, HELP-3..5), with the time
        zones of each; names and notes in the caller's language."""
        return list(load_helplines().values())
