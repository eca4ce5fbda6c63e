"""The clinical facts behind every medical statement the app shows, each with its public sources."""

from __future__ import annotations

from flask.views import MethodView

from backend.api.blueprint import Blueprint
from backend.api.schemas.sources import FactSchema
from backend.course.sources import load_facts

blp = Blueprint("sources", __name__, description="Clinical facts the texts cite, with public sources")


@blp.route("/sources")
class Sources(MethodView):
    @blp.response(200, FactSchema(many=True))
    def get(self):
        """Every fact the app's texts cite: the fact in plain words, its confidence and its public sources."""
        return [
            {
                "id": fact.id,
                "statement": fact.statement,
                "confidence": fact.confidence,
                "sources": [{"title": source.title, "url": source.url} for source in fact.sources],
            }
            for fact in load_facts()
        ]
