"""Installability (manifest, icons, head tags) and the prompt-before-update flow."""

from __future__ import annotations

import struct

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import onboard, wait_for_service_worker_control

pytestmark = pytest.mark.e2e


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_complete_and_icons_are_real(page):
    response = page.request.get("/manifest.webmanifest")
    assert response.ok
    manifest = response.json()
    assert manifest["name"] == "ClearCourse"
    assert manifest["short_name"]
    assert manifest["description"]
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"].startswith("#")
    assert manifest["background_color"].startswith("#")

    by_purpose = {(icon["sizes"], icon.get("purpose", "any")): icon["src"] for icon in manifest["icons"]}
    for key in [("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")]:
        assert key in by_purpose, f"missing icon {key}"
        icon = page.request.get(by_purpose[key])
        assert icon.ok and icon.headers["content-type"].startswith("image/png")
        side = int(key[0].split("x")[0])
        assert png_size(icon.body()) == (side, side)

    page.goto("/")
    head = page.evaluate(
        """() => ({
          lang: document.documentElement.lang,
          viewport: document.querySelector('meta[name=viewport]')?.content,
          theme: document.querySelector('meta[name=theme-color]')?.content,
          capable: document.querySelector('meta[name=apple-mobile-web-app-capable]')?.content,
          touchIcon: document.querySelector('link[rel=apple-touch-icon]')?.href,
          manifest: document.querySelector('link[rel=manifest]')?.href,
          noscript: document.querySelector('noscript')?.textContent,
        })"""
    )
    assert head["lang"] == "en"
    assert "width=device-width" in head["viewport"]
    assert head["theme"] == manifest["theme_color"]
    assert head["capable"] == "yes"
    assert head["manifest"].endswith("/manifest.webmanifest")
    assert head["noscript"].strip()
    assert png_size(page.request.get(head["touchIcon"]).body()) == (180, 180)


def test_navigation_fallback_and_api_denylist(page, context):
    onboard(page)
    wait_for_service_worker_control(page)
    context.set_offline(True)
    page.goto("/settings")
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    api_offline = page.evaluate(
        """async () => {
          try {
            await fetch('/api/v1/courses');
            return 'answered';
          } catch {
            return 'network-error';
          }
        }"""
    )
    assert api_offline == "network-error", "the service worker must not answer API requests"
    context.set_offline(False)


def test_new_version_waits_for_the_patient(page, live_app):
    onboard(page)
    wait_for_service_worker_control(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    sw = live_app.dist / "sw.js"
    original = sw.read_bytes()
    try:
        sw.write_bytes(original + b"\n// next version\n")
        page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
        expect(page.get_by_text("A new version is ready.")).to_be_visible()
        assert page.evaluate("() => window.__sameDocument === true"), "the page reloaded without being asked"
        assert page.evaluate("async () => Boolean((await navigator.serviceWorker.getRegistration()).waiting)")

        with page.expect_navigation():
            page.get_by_role("button", name="Update").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Day 1 · week 1")
        assert page.evaluate("() => window.__sameDocument === undefined")
        assert page.evaluate("async () => !(await navigator.serviceWorker.getRegistration()).waiting")
        expect(page.get_by_text("A new version is ready.")).to_have_count(0)
    finally:
        sw.write_bytes(original)
