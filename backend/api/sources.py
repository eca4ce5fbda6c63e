"""The clinical facts behind every medical statement the app shows."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.course.sources import load_sources

blp = Blueprint("sources", __name__, description="Clinical sources cited by the app's texts")


class SourceSchema(Schema):
    id = fields.String(metadata={"example": "EXP-3"})
    statement = fields.String()
    confidence = fields.String(metadata={"description": "H: label/guideline; M: reputable secondary source"})
    source = fields.String()


@blp.route("/sources")
class Sources(MethodView):
    @blp.response(200, SourceSchema(many=True))
    def get(self):
        """Every fact id cited by the app's content, in plain words, with its public source."""
        return [asdict(source) for source in load_sources()]
