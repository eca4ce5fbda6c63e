"""The doctor report: JSON, and the same as a PDF to bring to a visit."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView

from backend.api.blueprint import Blueprint
from backend.api.owned import COURSE_NOT_FOUND, course_or_404
from backend.api.schemas.record import ReportQuerySchema, ReportSchema
from backend.auth import SECURITY, auth_required
from backend.record.report_pdf import render_pdf
from backend.services import record

blp = Blueprint("report", __name__, description="The doctor report")


@blp.route("/courses/<string:course_id>/report")
class Report(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """The course, cumulative dose, adherence, check-in trends, red flags, mood answers and
        appointments between `from` (default: the start) and `to` (default: today)."""
        return record.report_data(course_or_404(course_id), query.get("from_"), query.get("to"))


@blp.route("/courses/<string:course_id>/report.pdf")
class ReportPdf(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, content_type="application/pdf", description="The same report as a PDF file.")
    @blp.doc(
        responses={
            "200": {
                "description": "The same report as a PDF file.",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    )
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    def get(self, query: dict, course_id: str):
        """The report as a PDF (A4)."""
        data = record.report_data(course_or_404(course_id), query.get("from_"), query.get("to"))
        return Response(
            render_pdf(data),
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="clearcourse-report-{data["to"]}.pdf"',
                "Cache-Control": "no-store",
            },
        )
