"""The "Source" chips open the Sources page at their fact, whose public source links work, offline too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import axe_violations, onboard, wait_for_service_worker_control

pytestmark = pytest.mark.e2e

CHIP_NAME = re.compile(r"^Sources?: ((?:[A-Z]+-\d+)(?:, [A-Z]+-\d+)*)$")
STUB_PAGE = "<!doctype html><title>Public source</title><h1>Public source stub</h1>"


def chip_boxes(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('a.source-chip')].map((a) => {
          const r = a.getBoundingClientRect();
          return { name: a.getAttribute('aria-label'), width: r.width, height: r.height };
        })"""
    )


def test_a_chip_opens_its_fact_with_a_working_public_link(page, context, axe_source):
    onboard(page)
    page.get_by_text("How to take them").click()  # the dose guidance is folded on Today
    chip = page.get_by_role("link", name=re.compile(r"^Source: [A-Z]+-\d+$")).first
    expect(chip).to_have_text("Source")  # a word, the id is in the accessible name only
    fact_id = CHIP_NAME.match(
        chip.get_attribute("aria-label") or chip.evaluate("(a) => a.textContent")
    ).group(1)
    boxes = chip_boxes(page)
    assert boxes and all(b["width"] >= 24 and b["height"] >= 24 for b in boxes), boxes

    chip.click()
    expect(page).to_have_url(re.compile(rf"/sources#fact-{fact_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources")
    fact = page.locator(f"#fact-{fact_id}")
    expect(fact).to_be_focused()
    expect(fact).to_be_in_viewport()
    expect(fact.get_by_role("heading", level=3)).to_contain_text(fact_id)

    link = fact.get_by_role("link").first
    href = link.get_attribute("href")
    assert href and href.startswith("https://"), href
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")
    title = link.inner_text().strip()
    assert title and title != "Source" and fact_id not in title

    context.route(
        re.compile(r"^https://"),
        lambda route: route.fulfill(status=200, content_type="text/html", body=STUB_PAGE),
    )
    with context.expect_page() as opened:
        link.click()
    public = opened.value
    public.wait_for_load_state()
    assert public.url == href
    expect(public.get_by_role("heading", level=1)).to_have_text("Public source stub")
    public.close()

    page.set_viewport_size({"width": 390, "height": 844})
    assert axe_violations(page, axe_source) == []


def test_a_chip_for_several_facts_marks_them_all(page):
    onboard(page)
    page.goto("/timeline")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your timeline")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    chip = page.get_by_role("link", name=re.compile(r"^Sources: [A-Z]+-\d+(, [A-Z]+-\d+)+$")).first
    expect(chip).to_have_text("Sources")
    ids = CHIP_NAME.match(chip.get_attribute("aria-label") or "").group(1).split(", ")
    boxes = chip_boxes(page)
    assert boxes and all(b["width"] >= 24 and b["height"] >= 24 for b in boxes), boxes

    chip.click()
    expect(page).to_have_url(re.compile(rf"/sources\?facts=.+#fact-{ids[0]}$"))
    expect(page.locator(f"#fact-{ids[0]}")).to_be_focused()
    for fact_id in ids:
        expect(page.locator(f"#fact-{fact_id}")).to_have_class(re.compile(r"\bfact-cited\b"))
    expect(page.locator(".fact-cited")).to_have_count(len(ids))


def test_the_sources_page_works_offline(page, context):
    onboard(page)
    wait_for_service_worker_control(page)
    page.goto("/sources")
    expect(page.locator("#fact-HELP-1")).to_be_attached()
    context.set_offline(True)
    page.goto("/sources#fact-HELP-1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources")
    help1 = page.locator("#fact-HELP-1")
    expect(help1).to_be_focused()
    expect(help1.get_by_role("link", name=re.compile(r"988 Suicide & Crisis Lifeline"))).to_have_attribute(
        "href", "https://988lifeline.org/"
    )


def test_the_facts_list_stays_off_the_first_load_yet_opens_offline(page, context):
    """The first screen does not fetch the facts list; the service worker keeps it once installed, so
    Sources (and every chip) opens offline even if the patient never opened it online."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/sources" in request.url else None)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your course")
    expect(page.get_by_role("button", name="Start my course")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert asked == []

    onboard(page)
    wait_for_service_worker_control(page)
    assert asked == []
    context.set_offline(True)
    page.get_by_text("How to take them").click()
    page.get_by_role("link", name=re.compile(r"^Source: [A-Z]+-\d+$")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sources")
    expect(page.locator(".fact-cited")).to_have_count(1)
    page.goto("/sources#fact-HELP-1")
    expect(page.locator("#fact-HELP-1")).to_be_focused()
    expect(
        page.locator("#fact-HELP-1").get_by_role("link", name=re.compile(r"988 Suicide & Crisis Lifeline"))
    ).to_have_attribute("href", "https://988lifeline.org/")
