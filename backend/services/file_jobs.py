"""Files made in the background: queued by the web request, made by the worker, read back by the app.

A web request never makes a file whose size grows with the patient's history (the data export, the
report PDF): `queue_job` only writes a row, `backend.reminders.file_jobs` makes the file. Per patient,
asking again for the same file while it is being made returns that job, at most `limit` jobs are
queued per `window`, and a finished file can be downloaded until its `expires_at`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from backend.extensions import db
from backend.models import FileJob
from backend.services.window_quota import check_quota

IN_FLIGHT = ("queued", "running")


def queue_job(
    patient_id: str, kind: str, params: dict, now: datetime, limit: int, window: timedelta
) -> tuple[FileJob, bool]:
    """The patient's job in flight for the same file (kind and params), or a new queued one (True);
    TooManyJobs beyond the limit."""
    in_flight = db.session.scalars(
        select(FileJob)
        .where(FileJob.patient_id == patient_id, FileJob.kind == kind, FileJob.status.in_(IN_FLIGHT))
        .order_by(FileJob.created_at.desc())
    )
    for job in in_flight:
        if job.params == params:
            return job, False
    recent = list(
        db.session.scalars(
            select(FileJob.created_at)
            .where(FileJob.patient_id == patient_id, FileJob.created_at > now - window)
            .order_by(FileJob.created_at)
        )
    )
    check_quota(recent, now, limit, window)
    job = FileJob(patient_id=patient_id, kind=kind, params=params, status="queued", created_at=now)
    db.session.add(job)
    db.session.commit()
    return job, True


def get_job(patient_id: str, job_id: str, now: datetime) -> FileJob | None:
    """The patient's job, or None when it is another patient's, unknown or its file has expired."""
    job = db.session.get(FileJob, job_id)
    if job is None or job.patient_id != patient_id:
        return None
    if job.expires_at is not None and job.expires_at <= now:
        return None
    return job
