"""The doctor report: JSON, and the same as a PDF to bring to a visit."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.owned import COURSE_NOT_FOUND, course_or_404
from backend.api.schemas.record import ReportPdfQuerySchema, ReportQuerySchema, ReportSchema
from backend.auth import SECURITY, auth_required
from backend.i18n import current_locale, use_locale
from backend.record.report_pdf import render_pdf
from backend.services import record

blp = Blueprint("report", __name__, description="The doctor report")


def _report(course_id: str, query: dict) -> dict:
    """The report of the asked period: at most MAX_REPORT_DAYS days (422 naming `from` beyond)."""
    course = course_or_404(course_id)
    start, end = record.report_period(course, query.get("from_"), query.get("to"))
    days = (end - start).days + 1
    if days > record.MAX_REPORT_DAYS:
        abort(
            422,
            errors={
                "query": {
                    "from": [
                        f"A report covers at most {record.MAX_REPORT_DAYS} days (this asks for {days}); "
                        "ask for the earlier part separately."
                    ]
                }
            },
        )
    return record.report_data(course, start, end)


@blp.route("/courses/<string:course_id>/report")
class Report(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(422, description="More than 400 days asked for, or `from` after `to`.")
    def get(self, query: dict, course_id: str):
        """The course, cumulative dose, adherence, check-in trends, red flags, mood answers and
        appointments between `from` and `to` (default: today), at most 400 days (422 naming `from`
        beyond). `from` defaults to the course's start, or to 399 days before `to` for a longer course.
        Written in the patient's language, or the one `lang` names."""
        with use_locale(query.get("lang") or current_locale()) as language:
            return {**_report(course_id, query), "language": language}


@blp.route("/courses/<string:course_id>/report.pdf")
class ReportPdf(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.arguments(ReportPdfQuerySchema, location="query")
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
    @blp.alt_response(422, description="More than 400 days asked for, or `from` after `to`.")
    def get(self, query: dict, course_id: str):
        """The report as a PDF on A4 or Letter (`paper`; default by the course's country), the same
        period rules, in the patient's language or `lang`."""
        with use_locale(query.get("lang") or current_locale()) as language:
            data = _report(course_id, query)
            country = course_or_404(course_id).country
            paper = query.get("paper") or ("letter" if country in ("US", "CA") else "a4")
            pdf = render_pdf(data, paper)
        return Response(
            pdf,
            mimetype="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="clearcourse-report-{data["to"]}.pdf"',
                "Cache-Control": "no-store",
                "Content-Language": language,
            },
        )
