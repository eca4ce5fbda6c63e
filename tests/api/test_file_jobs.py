"""Files made in the background (issue 16 §2): the export and the report PDF are queued by the request
(202 + a status URL), made by the worker, downloadable by their owner only, until they expire."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta

from backend.extensions import db
from backend.models import FileJob
from backend.models.types import utcnow
from backend.reminders.file_jobs import run_file_jobs
from tests.api.apihelp import API, assert_error


def test_the_export_is_queued_made_by_the_worker_and_downloaded_once_done(app, patient):
    course = patient.create_course()
    queued = patient.post(f"{API}/me/export")
    assert queued.status_code == 202
    job = queued.get_json()
    assert job["status"] == "queued" and job["kind"] == "export" and job["file_url"] is None
    assert queued.headers["Location"] == f"{API}/files/{job['id']}"
    # Nothing is made inside the request: the file waits for the worker.
    assert patient.get(queued.headers["Location"]).get_json()["status"] == "queued"
    assert_error(patient.get(f"{API}/files/{job['id']}/content"), 409)

    assert run_file_jobs(app) == 1
    done = patient.get(queued.headers["Location"]).get_json()
    assert done["status"] == "done" and done["file_url"] == f"{API}/files/{job['id']}/content"
    assert done["filename"].startswith("clearcourse-export-") and done["expires_at"] > done["finished_at"]

    gzipped = patient.get(done["file_url"], headers={"Accept-Encoding": "gzip, br"})
    assert gzipped.status_code == 200 and gzipped.headers["Content-Encoding"] == "gzip"
    assert "attachment" in gzipped.headers["Content-Disposition"]
    assert "no-store" in gzipped.headers["Cache-Control"]
    exported = json.loads(gzip.decompress(gzipped.data))
    assert exported["patient"]["id"] == patient.id
    assert [c["id"] for c in exported["courses"]] == [course["id"]]
    plain = patient.get(done["file_url"])  # a client that takes no gzip gets the plain JSON
    assert "Content-Encoding" not in plain.headers and plain.get_json() == exported


def test_another_patients_file_is_404_like_a_missing_one(app, patient, make_patient):
    job = patient.post(f"{API}/me/export").get_json()
    run_file_jobs(app)
    other = make_patient()
    for path in (f"{API}/files/{job['id']}", f"{API}/files/{job['id']}/content", f"{API}/files/no-such-job"):
        assert_error(other.get(path), 404)
    assert patient.get(f"{API}/files/{job['id']}/content").status_code == 200


def test_a_made_file_expires_and_is_deleted(app, patient):
    job = patient.post(f"{API}/me/export").get_json()
    run_file_jobs(app)
    with app.app_context():
        expires_at = db.session.get(FileJob, job["id"]).expires_at
    assert timedelta(minutes=14) < expires_at - utcnow() <= timedelta(minutes=15)
    run_file_jobs(app, now=expires_at + timedelta(seconds=1))  # the worker's next pass after the expiry
    assert_error(patient.get(f"{API}/files/{job['id']}/content"), 404)
    with app.app_context():
        assert db.session.get(FileJob, job["id"]) is None


def test_asking_again_while_in_flight_returns_the_same_job_and_the_limit_holds(app, patient):
    course = patient.create_course()
    first = patient.post(f"{API}/me/export").get_json()
    assert patient.post(f"{API}/me/export").get_json()["id"] == first["id"]
    a4 = patient.post(f"{API}/courses/{course['id']}/report.pdf?paper=a4").get_json()
    letter = patient.post(f"{API}/courses/{course['id']}/report.pdf?paper=letter").get_json()
    assert len({first["id"], a4["id"], letter["id"]}) == 3  # different files are different jobs
    run_file_jobs(app)
    limit = app.config["FILE_JOBS_PER_WINDOW"]
    for _ in range(limit - 3):
        assert patient.post(f"{API}/me/export").status_code == 202
        run_file_jobs(app)
    refused = patient.post(f"{API}/me/export")
    assert_error(refused, 429)
    assert 0 < int(refused.headers["Retry-After"]) <= app.config["FILE_JOB_WINDOW_MINUTES"] * 60


def test_the_report_pdf_job_keeps_the_period_paper_and_language(app, patient):
    course = patient.create_course(country="US")
    queued = patient.post(f"{API}/courses/{course['id']}/report.pdf?lang=es")
    assert queued.status_code == 202
    with app.app_context():
        params = db.session.get(FileJob, queued.get_json()["id"]).params
    assert params["paper"] == "letter" and params["language"] == "es"
    assert params["course_id"] == course["id"] and params["from"] == course["start_date"]
    run_file_jobs(app)
    pdf = patient.get(f"{API}/files/{queued.get_json()['id']}/content")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert pdf.headers["Content-Language"] == "es"


def test_a_report_whose_course_was_deleted_meanwhile_fails_with_a_reason(app, patient):
    course = patient.create_course()
    job = patient.post(f"{API}/courses/{course['id']}/report.pdf").get_json()
    assert patient.delete(f"{API}/courses/{course['id']}").status_code == 204
    run_file_jobs(app)
    failed = patient.get(f"{API}/files/{job['id']}").get_json()
    assert failed["status"] == "failed" and failed["error"] == "The course was deleted."
    assert failed["file_url"] is None
    assert_error(patient.get(f"{API}/files/{job['id']}/content"), 409)


def test_a_job_whose_worker_died_is_taken_up_again(app, patient):
    job = patient.post(f"{API}/me/export").get_json()
    with app.app_context():
        row = db.session.get(FileJob, job["id"])
        row.status, row.claimed_until = "running", utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert run_file_jobs(app) == 1
    assert patient.get(f"{API}/files/{job['id']}").get_json()["status"] == "done"


def test_openapi_documents_the_202_and_the_status_routes(client):
    paths = client.get(f"{API}/openapi.json").get_json()["paths"]
    for path in ("/api/v1/me/export", "/api/v1/courses/{course_id}/report.pdf"):
        assert set(paths[path]) - {"parameters"} == {"post"}, path  # no GET makes these files any more
        responses = paths[path]["post"]["responses"]
        assert "202" in responses and "429" in responses, path
    assert {"200", "404"} <= set(paths["/api/v1/files/{job_id}"]["get"]["responses"])
    content = paths["/api/v1/files/{job_id}/content"]["get"]["responses"]
    assert {"200", "404", "409"} <= set(content)
    assert {"application/json", "application/pdf"} <= set(content["200"]["content"])
