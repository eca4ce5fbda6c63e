"""The worker's side of files made in the background (`backend.services.file_jobs` queues them).

`run_file_jobs` claims queued jobs (and jobs whose claim ran out: a worker died mid-way) with a lease,
one at a time, makes each file (the data export as gzip-compressed JSON, the report PDF), stores it
with its expiry (FILE_JOB_KEEP_MINUTES) and deletes expired files and day-old jobs. The worker runs it
every FILE_JOB_POLL_SECONDS beside the reminder tick, in its own scheduler thread, so a long export
never delays a reminder or a test notification.
"""

from __future__ import annotations

import gzip
import json
import logging
from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import delete, or_, select, update

from backend.extensions import db
from backend.i18n import use_locale
from backend.models import FileJob
from backend.models.types import utcnow

log = logging.getLogger(__name__)

KEEP_ROWS_FOR = timedelta(days=1)
LEASE = timedelta(minutes=5)


class JobRefused(Exception):
    """The file cannot be made any more (e.g. its course was deleted meanwhile)."""


def _export(job: FileJob) -> tuple[bytes, str, str, str | None]:
    from backend.api.accounts import export_json
    from backend.services import accounts

    document = export_json(accounts.export_patient(job.patient_id))
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    day = job.created_at.date().isoformat()
    return gzip.compress(raw, 6, mtime=0), f"clearcourse-export-{day}.json", "application/json", "gzip"


def _report_pdf(job: FileJob) -> tuple[bytes, str, str, str | None]:
    from backend.record.report_pdf import render_pdf
    from backend.services import courses, record

    params = job.params
    course = courses.get_course(job.patient_id, params["course_id"])
    if course is None:
        raise JobRefused("The course was deleted.")
    data = record.report_data(course, date.fromisoformat(params["from"]), date.fromisoformat(params["to"]))
    pdf = render_pdf(data, params["paper"], course.country)
    return pdf, f"clearcourse-report-{data['to']}.pdf", "application/pdf", None


MAKERS = {"export": _export, "report_pdf": _report_pdf}


def claim_job(now: datetime) -> FileJob | None:
    """The oldest queued job (or one whose claim expired), marked running until now + LEASE (committed)."""
    job_id = db.session.scalars(
        select(FileJob.id)
        .where(
            or_(
                FileJob.status == "queued",
                (FileJob.status == "running") & (FileJob.claimed_until < now),
            )
        )
        .order_by(FileJob.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if job_id is None:
        db.session.commit()
        return None
    db.session.execute(
        update(FileJob).where(FileJob.id == job_id).values(status="running", claimed_until=now + LEASE)
    )
    db.session.commit()
    return db.session.get(FileJob, job_id)


def _make(job: FileJob, keep: timedelta) -> None:
    """Make the job's file and store it (done), or store why not (failed); committed."""
    try:
        with use_locale(job.params.get("language")):
            content, filename, media_type, encoding = MAKERS[job.kind](job)
    except JobRefused as refused:
        db.session.rollback()
        job.status, job.error = "failed", str(refused)
    except Exception:  # one bad job must not stop the others; the patient sees "failed"
        log.exception("file job %s (%s) failed", job.id, job.kind)
        db.session.rollback()
        job.status, job.error = "failed", "The file could not be made."
    else:
        job.status, job.content, job.size = "done", content, len(content)
        job.filename, job.media_type, job.content_encoding = filename, media_type, encoding
    finished = utcnow()
    job.finished_at, job.claimed_until, job.expires_at = finished, None, finished + keep
    db.session.commit()


def run_file_jobs(app: Flask, now: datetime | None = None, limit: int = 10) -> int:
    """One pass: make up to `limit` claimable files, one after another; returns how many were made."""
    keep = timedelta(minutes=float(app.config.get("FILE_JOB_KEEP_MINUTES", 15)))
    made = 0
    with app.app_context():
        now = now or utcnow()
        db.session.execute(
            delete(FileJob).where(or_(FileJob.expires_at <= now, FileJob.created_at < now - KEEP_ROWS_FOR))
        )
        db.session.commit()
        while made < limit:
            job = claim_job(now if made == 0 else utcnow())
            if job is None:
                break
            _make(job, keep)
            made += 1
            db.session.expunge_all()  # the made file's bytes leave memory before the next
    if made:
        log.info("made %d file(s)", made)
    return made
