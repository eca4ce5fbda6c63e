"""Files made for a patient by the background worker, never inside a web request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from backend.extensions import db
from backend.models.types import UTCDateTime, new_id, utcnow

JOB_KINDS = ("export", "report_pdf")


class FileJob(db.Model):
    """A file the patient asked for (the data export, the report PDF): queued by the web request,
    made by the worker, kept for a short while for the app to download.

    queued → running (claimed until `claimed_until`; a worker that died loses it back) → done | failed.
    """

    __tablename__ = "file_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    #: What to make: the report's course, period, paper and language; the export's language.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: After this the file is gone (the row is deleted by the worker; reads treat it as gone at once).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    filename: Mapped[str | None] = mapped_column(String(128))
    media_type: Mapped[str | None] = mapped_column(String(64))
    #: "gzip" when `content` is stored gzip-compressed (the export), else null.
    content_encoding: Mapped[str | None] = mapped_column(String(16))
    size: Mapped[int | None] = mapped_column()
    content: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    error: Mapped[str | None] = mapped_column(String(255))
