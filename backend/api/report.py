"""The doctor report: JSON, and the same as a PDF to bring to a visit (made by the background worker)."""

from __future__ import annotations

from datetime import date

from flask.views import MethodView
from flask_smorest import abort

from backend.api.blueprint import Blueprint
from backend.api.files import QUEUED, FileJobSchema, queue
from backend.api.owned import COURSE_NOT_FOUND, course_or_404
from backend.api.schemas.record import ReportPdfQuerySchema, ReportQuerySchema, ReportSchema
from backend.auth import SECURITY, auth_required
from backend.i18n import current_locale, use_locale
from backend.services import record

blp = Blueprint("report", __name__, description="The doctor report")


def _period(course, query: dict) -> tuple[date, date]:
    """The asked period: at most MAX_REPORT_DAYS days (422 naming `from` beyond)."""
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
    return start, end


def _report(course_id: str, query: dict) -> dict:
    course = course_or_404(course_id)
    return record.report_data(course, *_period(course, query))


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
    @blp.response(202, FileJobSchema, description=QUEUED)
    @blp.alt_response(404, description=COURSE_NOT_FOUND)
    @blp.alt_response(422, description="More than 400 days asked for, or `from` after `to`.")
    @blp.alt_response(429, description="Too many files asked for lately; Retry-After says when to ask again.")
    def post(self, query: dict, course_id: str):
        """Ask for the report as a PDF on A4 or Letter (`paper`; default by the course's country), the
        same period rules, in the patient's language or `lang`. The background worker draws it (a long
        report takes seconds); poll `GET /files/{id}` (the Location), then download its `file_url`."""
        course = course_or_404(course_id)
        start, end = _period(course, query)
        return queue(
            "report_pdf",
            {
                "course_id": course.id,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "paper": query.get("paper") or ("letter" if course.country in ("US", "CA") else "a4"),
                "language": query.get("lang") or current_locale(),
            },
        )
