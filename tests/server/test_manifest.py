"""The web app manifest speaks the phone's language: its description and `lang` follow Accept-Language
(es-MX → es, de-AT → de, anything else English), the rest is the build's, and caches keep one per language."""

from __future__ import annotations

import json

import pytest

from backend.i18n.catalogs import catalog
from tests.server.test_pwa_files import _app

BUILT = {
    "name": "ClearCourse",
    "short_name": "ClearCourse",
    "description": "English at build time",
    "lang": "en",
    "start_url": "/",
    "icons": [{"src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png"}],
}


@pytest.fixture
def pwa(tmp_path):
    client = _app(tmp_path)
    (tmp_path / "dist" / "manifest.webmanifest").write_text(json.dumps(BUILT), encoding="utf-8")
    return client


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("de-AT", "de"),
        ("en-GB", "en"),
        ("fr-FR", "en"),
        ("es;q=abc, ;;, *", "en"),
        (None, "en"),
    ],
)
def test_the_description_follows_the_phones_language(pwa, header, language):
    response = pwa.get("/manifest.webmanifest", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["lang"] == language
    assert manifest["description"] == catalog("manifest", language)["description"]
    assert {k: v for k, v in manifest.items() if k not in ("description", "lang")} == {
        k: v for k, v in BUILT.items() if k not in ("description", "lang")
    }
    assert "Accept-Language" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_the_three_descriptions_differ_and_say_it_is_no_doctor(pwa):
    texts = {lang: catalog("manifest", lang)["description"] for lang in ("en", "es", "de")}
    assert len(set(texts.values())) == 3
    assert "dermatologist" in texts["en"] and "dermatología" in texts["es"] and "Hautarzt" in texts["de"]
    assert "isotretinoína" in texts["es"] and "Isotretinoin" in texts["de"]


def test_it_revalidates_to_304_per_language_and_follows_a_rebuild(pwa, tmp_path):
    first = pwa.get("/manifest.webmanifest", headers={"Accept-Language": "de"})
    again = pwa.get(
        "/manifest.webmanifest", headers={"Accept-Language": "de", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    spanish = pwa.get(
        "/manifest.webmanifest", headers={"Accept-Language": "es", "If-None-Match": first.headers["ETag"]}
    )
    assert spanish.status_code == 200 and spanish.get_json(force=True)["lang"] == "es"
    (tmp_path / "dist" / "manifest.webmanifest").write_text(
        json.dumps({**BUILT, "name": "Rebuilt"}), encoding="utf-8"
    )
    assert pwa.get("/manifest.webmanifest").get_json(force=True)["name"] == "Rebuilt"


def test_without_a_build_it_is_a_404(tmp_path):
    assert _app(tmp_path).get("/manifest.webmanifest").status_code == 404
