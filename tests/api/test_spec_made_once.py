"""The OpenAPI document is made once per process and served as stored, in the encoding the client takes."""

from __future__ import annotations

import gzip
import json

import brotli

from backend import extensions
from tests.api.apihelp import API


def test_the_spec_is_the_same_document_in_every_encoding(client, app, monkeypatch):
    plain = client.get(f"{API}/openapi.json")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    spec = plain.get_json()
    assert spec["info"]["title"] == app.config["API_TITLE"] and "/api/v1/files/{job_id}" in spec["paths"]
    calls = []
    monkeypatch.setattr(extensions.api.spec, "to_dict", lambda: calls.append(1))
    br = client.get(f"{API}/openapi.json", headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br" and json.loads(brotli.decompress(br.data)) == spec
    gz = client.get(f"{API}/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(gz.data)) == spec
    assert calls == []  # not made again
