"""Files made in the background: the data export and the report PDF (202 + a status to poll)."""

from __future__ import annotations

import gzip
from datetime import timedelta

from flask import Response, current_app, request, url_for
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields

from backend.api.blueprint import Blueprint
from backend.api.limits import too_many
from backend.auth import SECURITY, auth_required, current_patient_id
from backend.models import FileJob
from backend.models.types import utcnow
from backend.services import file_jobs
from backend.services.window_quota import QuotaSpent

blp = Blueprint("files", __name__, description="Files made in the background: data export, report PDF")

NOT_FOUND = "No such file: it was never asked for on this account, or it has expired; ask for it again."


class FileJobSchema(Schema):
    id = fields.String()
    kind = fields.String(metadata={"enum": ["export", "report_pdf"]})
    status = fields.String(
        metadata={
            "enum": ["queued", "running", "done", "failed"],
            "description": "done: download it from `file_url` until `expires_at`; failed: `error` says why",
        }
    )
    created_at = fields.AwareDateTime()
    finished_at = fields.AwareDateTime(allow_none=True)
    expires_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "after this the file is deleted (404); null until done"}
    )
    filename = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True, metadata={"description": "bytes as stored (the export: gzip)"})
    error = fields.String(allow_none=True)
    file_url = fields.Method(
        "_file_url", metadata={"type": "string", "nullable": True, "description": "null until done"}
    )

    def _file_url(self, job: FileJob) -> str | None:
        return url_for("files.FileContent", job_id=job.id) if job.status == "done" else None


def queue(kind: str, params: dict):
    """202 with the queued job (or the same file's job in flight) and its status URL; 429 beyond the limit."""
    config = current_app.config
    limit, minutes = config["FILE_JOBS_PER_WINDOW"], config["FILE_JOB_WINDOW_MINUTES"]
    try:
        job, _created = file_jobs.queue_job(
            current_patient_id(), kind, params, utcnow(), limit, timedelta(minutes=minutes)
        )
    except QuotaSpent as refused:
        too_many(refused, "files")
    return job, 202, {"Location": url_for("files.FileStatus", job_id=job.id)}


QUEUED = "Queued (or the same file already being made); poll the Location (`GET /files/{id}`)."


def _job_or_404(job_id: str) -> FileJob:
    job = file_jobs.get_job(current_patient_id(), job_id, utcnow())
    if job is None:
        abort(404, message=NOT_FOUND)
    return job


@blp.route("/files/<string:job_id>")
class FileStatus(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.response(200, FileJobSchema)
    @blp.alt_response(404, description="No such file for this patient, or it expired.")
    def get(self, job_id: str):
        """A file asked for (`POST /me/export`, `POST /courses/{id}/report.pdf`): queued, running, done
        (with `file_url`) or failed. Poll about once a second; the worker usually starts within one."""
        return _job_or_404(job_id)


@blp.route("/files/<string:job_id>/content")
class FileContent(MethodView):
    @blp.doc(security=SECURITY)
    @auth_required
    @blp.doc(
        responses={
            "200": {
                "description": "The file: JSON (the export) or a PDF (the report), as an attachment.",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    )
    @blp.alt_response(404, description="No such file for this patient, or it expired.")
    @blp.alt_response(409, description="Not made yet (or it failed): see `GET /files/{id}`.")
    def get(self, job_id: str):
        """The made file, until it expires. The export is sent gzip-encoded (as stored)."""
        job = _job_or_404(job_id)
        if job.status != "done":
            abort(409, message="This file is not ready; poll GET /files/{id} until its status is done.")
        content = job.content or b""
        headers = {
            "Content-Disposition": f'attachment; filename="{job.filename}"',
            "Cache-Control": "no-store",
            "Vary": "Accept-Encoding",
        }
        if job.content_encoding == "gzip":
            if "gzip" in request.headers.get("Accept-Encoding", ""):
                headers["Content-Encoding"] = "gzip"
            else:
                content = gzip.decompress(content)
        if job.kind == "report_pdf" and job.params.get("language"):
            headers["Content-Language"] = job.params["language"]
        return Response(content, mimetype=job.media_type, headers=headers)
