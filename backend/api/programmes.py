"""Programme rule sets and help numbers: public reference data the PWA also bundles for offline use."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from backend.api.blueprint import Blueprint
from backend.api.schemas.views import RuleSetSchema
from backend.course.helplines import load_helplines
from backend.course.rules import load_rule_sets

blp = Blueprint("programmes", __name__, description="Programme rule sets and help numbers")


class EmergencyNumberSchema(Schema):
    number = fields.String(metadata={"example": "112"})
    facts = fields.List(fields.String())


class CrisisLineSchema(Schema):
    name = fields.String()
    number = fields.String()
    sms = fields.String(allow_none=True, metadata={"description": "A number that also takes text messages."})
    facts = fields.List(fields.String())


class HelplineSchema(Schema):
    code = fields.String(metadata={"example": "GB"})
    name = fields.String()
    emergency = fields.Nested(EmergencyNumberSchema)
    crisis = fields.Nested(CrisisLineSchema, allow_none=True)
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
        """Emergency numbers and crisis lines per country (HELP-1), with the time zones of each."""
        return list(load_helplines().values())
