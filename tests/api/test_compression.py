"""JSON answers to GET are compressed (brotli or gzip) for clients that accept it; writes never are,
and the views' ETags keep working on the compressed representations (issue 7, item 6)."""

from __future__ import annotations

import gzip
import json

import brotli

from tests.api.apihelp import API, course_from, days_ago, dose_body, new_uuid


def test_sources_go_out_as_brotli_or_gzip_and_decode_to_the_same_json(client):
    plain = client.get(f"{API}/sources")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    br = client.get(f"{API}/sources", headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert br.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in br.headers["Vary"]
    assert json.loads(brotli.decompress(br.data)) == plain.get_json()
    assert len(br.data) < len(plain.data) / 3
    gz = client.get(f"{API}/sources", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(gz.data)) == plain.get_json()


def test_small_answers_are_left_alone(client):
    response = client.get(f"{API}/version", headers={"Accept-Encoding": "br"})
    assert "Content-Encoding" not in response.headers


def test_answers_to_writes_are_never_compressed(patient):
    course = patient.create_course(**course_from(days_ago(40)))
    doses = [{"id": new_uuid(), **dose_body(days_ago(30 - i))} for i in range(20)]
    response = patient.post(
        f"{API}/courses/{course['id']}/doses/batch", json={"doses": doses}, headers={"Accept-Encoding": "br"}
    )
    assert response.status_code == 200 and len(response.data) > 1024
    assert "Content-Encoding" not in response.headers


def test_compressed_timeline_revalidates_to_304(patient):
    course = patient.create_course(**course_from(days_ago(40)))
    url = f"{API}/courses/{course['id']}/timeline"
    first = patient.get(url, headers={"Accept-Encoding": "br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    etag = first.headers["ETag"]
    assert etag.endswith(':br"')
    again = patient.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert again.status_code == 304 and not again.data
    patient.put(f"{API}/courses/{course['id']}/doses/{new_uuid()}", json=dose_body(days_ago(1)))
    changed = patient.get(url, headers={"Accept-Encoding": "br", "If-None-Match": etag})
    assert changed.status_code == 200
    assert json.loads(brotli.decompress(changed.data))["course_id"] == course["id"]
