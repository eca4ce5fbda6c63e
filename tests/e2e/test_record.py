"""The patient's own record in the browser: check-in offline with triage at once, the mood check from its
notification, photos that never leave the phone, supply, charts with tables, the report; axe clean."""

from __future__ import annotations

import base64
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import (
    IDB,
    HeldAnswer,
    axe_violations,
    onboard,
    outbox_of,
    run_js,
    session_of,
    wait_for_service_worker_control,
    wait_until,
)
from tests.e2e.test_push import click, ready_for_push

pytestmark = pytest.mark.e2e

# A 1×1 PNG: enough for the browser to store and show, and easy to look for in request bodies.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def checkins_on_server(live_app, session) -> list[dict]:
    status, body = live_app.api("GET", f"/courses/{session['courseId']}/checkins", session["token"])
    assert status == 200, body
    return body


def open_journal(page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Journal")


SAVED_CHECKINS = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const saved = await ask(db.transaction('kv').objectStore('kv').get('checkins:' + arg));
  db.close();
  return saved === undefined ? null : saved;
})();
"""
)


def journal_loaded(page, session) -> None:
    """The journal, as it opens, reads the check-ins from the server, then rewrites the device's copy: a
    check-in saved before that write would be overwritten. Waits until the device's copy has been written."""
    saved = wait_until(
        lambda: run_js(page, SAVED_CHECKINS, session["courseId"]), lambda saved: saved is not None
    )
    assert saved is not None, "the journal did not save the check-ins it read"


def test_checkin_offline_with_a_red_flag_shows_help_at_once_and_syncs_once(page, context, live_app):
    onboard(page)
    wait_for_service_worker_control(page)
    session = session_of(page)
    open_journal(page)
    journal_loaded(page, session)
    puts: list[str] = []
    page.on(
        "requestfinished",
        lambda r: puts.append(r.url) if r.method == "PUT" and "/checkins/" in r.url else None,
    )

    context.set_offline(True)
    page.get_by_label("Dry or cracked lips: Moderate").check()
    page.get_by_label("Yellow skin or eyes, or dark pee").check()
    page.get_by_role("button", name="Save check-in").click()

    panel = page.locator("#triage")
    expect(panel).to_have_attribute("data-level", "urgent")
    expect(panel.get_by_role("heading")).to_have_text("Stop your capsules and call your prescriber now")
    expect(panel).to_have_attribute("role", "alert")
    # Nothing suggests anyone was told: saved on the phone, and nobody watches the answers (MOOD-2).
    expect(panel.locator(".triage-status")).to_have_text("Saved on this phone, sending when online.")
    expect(panel.locator(".who-sees")).to_contain_text("Nobody watches these answers")
    assert [r["method"] for r in outbox_of(page)] == ["PUT"]
    assert checkins_on_server(live_app, session) == []

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(panel.locator(".triage-status")).to_have_text("Saved.")
    [stored] = checkins_on_server(live_app, session)
    assert stored["red_flags"] == ["yellow_skin_dark_urine"] and stored["effects"]["dry_lips"] == 2
    # Unanswered is not an answer: the untouched skin scale and effects are stored as not answered.
    assert stored["skin"] is None and stored["effects"]["headache"] is None
    assert stored["triage"]["level"] == "urgent"
    assert outbox_of(page) == []
    assert len(puts) == 1, puts


def test_checkin_starts_unanswered_and_refuses_an_empty_save(page, live_app, axe_source):
    onboard(page)
    session = session_of(page)
    open_journal(page)
    journal_loaded(page, session)
    form = page.locator("form.checkin")
    expect(form.get_by_text("Not answered", exact=True)).to_be_visible()
    assert form.locator("input[type=radio]:checked").count() == 0
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("alert")).to_contain_text("answer at least one question")
    assert checkins_on_server(live_app, session) == []

    form.get_by_role("radio", name="7", exact=True).check()
    expect(form.get_by_text("Your answer: 7")).to_be_visible()
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") <= 0
    assert axe_violations(page, axe_source) == []
    page.screenshot(path="/tmp/h5-journal-320.png", full_page=True)
    page.get_by_role("button", name="Save check-in").click()
    stored = wait_until(lambda: checkins_on_server(live_app, session), lambda rows: len(rows) == 1)
    assert stored[0]["skin"] == 7 and set(stored[0]["effects"].values()) == {None}


def set_country(page, live_app, code: str) -> None:
    session = session_of(page)
    status, body = live_app.api(
        "PATCH", f"/courses/{session['courseId']}", session["token"], {"country": code}
    )
    assert status == 200, body
    page.reload()


def test_emergency_red_flag_shows_the_countrys_emergency_number(page, live_app):
    onboard(page)
    set_country(page, live_app, "GB")
    open_journal(page)
    journal_loaded(page, session_of(page))
    page.get_by_label("Swelling of your face, lips, tongue or throat, or finding it hard to breathe").check()
    page.get_by_role("button", name="Save check-in").click()
    panel = page.locator("#triage")
    expect(panel).to_have_attribute("data-level", "emergency")
    expect(panel).to_be_focused()
    calls = panel.locator(".emergency-calls a.call")
    expect(calls.first).to_have_attribute("href", "tel:999")
    expect(calls.first).to_contain_text("Emergency, United Kingdom")
    # Airway swelling speaks of no crisis line, so none is shown; the clinic comes after the 999 call.
    expect(panel.get_by_role("link", name=re.compile(r"^Call 116 123"))).to_have_count(0)
    expect(calls.nth(1)).to_contain_text("Save your clinic’s number")


def test_answers_given_before_the_saved_check_ins_arrive_are_kept(page):
    """Regression: a slow GET …/checkins used to reset the form after the patient had ticked a box."""
    onboard(page)
    held = []
    page.route(re.compile(r".*/checkins\?.*"), lambda route: held.append(route))
    open_journal(page)
    page.get_by_label("Chest pain").check()
    deadline = 50
    while not held and deadline:
        page.wait_for_timeout(100)
        deadline -= 1
    assert held, "the journal did not ask for the saved check-ins"
    for route in held:
        route.continue_()
    page.unroute(re.compile(r".*/checkins\?.*"))
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Chest pain")).to_be_checked()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#triage")).to_have_attribute("data-level", "emergency")  # chest pain: RED-13


def test_the_journal_reads_every_page_of_the_check_ins(page, live_app):
    """The server answers at most `limit` check-ins a request and names the next page in a `Link` header
    (issue 16): the journal follows the pages until the last. Here the first request asks for pages of
    two, so the server's five check-ins take three pages."""
    onboard(page)
    page.wait_for_load_state("networkidle")
    session = session_of(page)
    today = run_js(page, "return new Date().toLocaleDateString('en-CA');")
    days = [(date.fromisoformat(today) - timedelta(days=n)).isoformat() for n in range(4, -1, -1)]
    for day in days:
        status, body = live_app.api(
            "PUT", f"/courses/{session['courseId']}/checkins/{day}", session["token"], {"skin": 4}
        )
        assert status in (200, 201), body
    pages: list[str] = []

    def small_pages(route) -> None:
        pages.append(route.request.url)
        url = route.request.url
        route.continue_(url=url if "limit=" in url else f"{url}&limit=2")

    page.route(re.compile(r".*/checkins\?.*"), small_pages)
    open_journal(page)
    saved = wait_until(
        lambda: run_js(page, SAVED_CHECKINS, session["courseId"]),
        lambda saved: saved is not None and len(saved) == len(days),
    )
    assert saved is not None and sorted(saved) == days, saved
    assert len(pages) == 3 and all("limit=2" in url for url in pages[1:]), pages


def test_a_check_in_saved_while_an_older_read_is_slow_stays(page):
    """Regression: the journal's first read of the check-ins, slow to answer, used to rewrite the device's
    copy after the patient had saved one, dropping it there and taking its triage off the screen."""
    onboard(page)
    page.wait_for_load_state("networkidle")
    session = session_of(page)
    first_read = HeldAnswer(page, re.compile(r".*/checkins\?.*"))
    open_journal(page)
    first_read.wait()

    page.get_by_label("Chest pain").check()
    page.get_by_role("button", name="Save check-in").click()
    panel = page.locator("#triage")
    expect(panel.locator(".triage-status")).to_have_text("Saved.")  # sent, then read again from the server

    with page.expect_response(re.compile(r".*/checkins\?.*")):
        first_read.release()  # answers as the server did before the check-in was saved: none
    # Gives a wrong rewrite of the device's copy the time to happen (it did within milliseconds).
    saved = wait_until(
        lambda: run_js(page, SAVED_CHECKINS, session["courseId"]),
        lambda saved: not any(c["red_flags"] for c in saved.values()),
        timeout=2,
    )
    assert [c["red_flags"] for c in saved.values()] == [["chest_pain"]], saved
    expect(panel).to_have_attribute("data-level", "emergency")


def test_mood_reminder_opens_the_mood_check_and_self_harm_leads_to_the_crisis_line(page, context, live_app):
    session, _ = ready_for_push(page, context, live_app)
    set_country(page, live_app, "US")
    page.goto("/settings")
    assert click(page, "", {"kind": "mood_checkin", "url": "/?checkin=mood"}) == "opened"
    expect(page).to_have_url(re.compile(r"/mood$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weekly mood check")

    page.get_by_role("group", name=re.compile("little interest")).get_by_label("Not at all").check()
    page.get_by_role("group", name=re.compile("down, low")).get_by_label("Not at all").check()
    page.get_by_role("group", name=re.compile("hurting yourself")).get_by_label("Yes").check()
    crisis = page.locator("#crisis")
    expect(crisis).to_be_visible()
    calls = crisis.locator(".emergency-calls a")
    expect(calls.first).to_have_attribute("href", "tel:988")  # the crisis line comes first (RED-1, HELP-1)
    expect(crisis.get_by_role("link", name=re.compile(r"^Call 988 .*Lifeline"))).to_be_visible()
    expect(crisis.get_by_role("link", name=re.compile(r"^Text 988"))).to_have_attribute("href", "sms:988")
    page.get_by_role("button", name="Save this week's answers").click()
    expect(page.get_by_role("status").filter(has_text="next visit")).to_be_visible()
    expect(page.locator(".mood table tbody tr")).to_have_count(1)
    # Saved on the phone at once and sent by the outbox: wait for it on the server.
    status, body = wait_until(
        lambda: live_app.api("GET", f"/courses/{session['courseId']}/mood", session["token"]),
        lambda answer: answer[0] != 200 or len(answer[1]) > 0,
    )
    assert status == 200 and len(body) == 1 and body[0]["self_harm_thoughts"] is True
    assert not {"score", "total"} & set(body[0])


PHOTOS_DECODED = """() => {
  const images = [...document.querySelectorAll('main img')];
  return images.length > 0 && images.every((img) => img.complete && img.naturalWidth > 0);
}"""


def test_photos_stay_on_the_phone(page, context):
    onboard(page)
    bodies: list[bytes] = []
    page.on("request", lambda r: bodies.append(r.post_data_buffer or b""))
    page.goto("/photos")
    expect(page.get_by_role("heading", level=1)).to_have_text("Skin photos")
    expect(page.get_by_text("Clearing the app's data")).to_be_visible()
    for view in ("front", "left"):
        file = {"name": f"{view}.png", "mimeType": "image/png", "buffer": PNG}
        page.set_input_files(f"#photo-{view}", files=[file])
    expect(page.locator(".photo-day img")).to_have_count(2)
    expect(page.locator(".photo-day h2")).to_have_text(re.compile(r"day 1$"))
    page.wait_for_function(PHOTOS_DECODED)  # shown, not just listed: the CSP lets the blob: URLs load

    page.reload()
    expect(page.locator(".photo-day img")).to_have_count(2)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile(r"^Save to phone ?: Front")).click()
    name = download.value.suggested_filename
    assert name.startswith("skin-") and name.endswith("-front.png"), name

    yesterday = page.evaluate(
        "() => { const d = new Date(); d.setDate(d.getDate() - 1); return d.toISOString().slice(0, 10); }"
    )
    page.get_by_label("Date").fill(yesterday)
    page.set_input_files("#photo-front", files=[{"name": "old.png", "mimeType": "image/png", "buffer": PNG}])
    expect(page.locator(".photo-day")).to_have_count(2)
    compare = page.locator(".photo-compare")
    expect(compare.locator("img")).to_have_count(2)
    expect(compare.locator("figcaption").nth(0)).to_contain_text("1 day before day 1")
    expect(compare.locator("figcaption").nth(1)).to_contain_text("day 1")
    page.get_by_label("View").select_option("left")
    expect(compare.locator("img")).to_have_count(1)

    page.get_by_role("button", name=re.compile(r"^Delete… ?: Left side")).click()
    page.get_by_role("button", name=re.compile(r"^Delete ?: Left side")).click()
    expect(page.locator(".photo-day img")).to_have_count(2)
    page.get_by_role("button", name="Delete all photos…").click()
    page.get_by_role("button", name="Yes, delete every photo").click()
    expect(page.locator(".photo-day")).to_have_count(0)

    png_marker = PNG[:16]
    assert not [b for b in bodies if png_marker in b or b"image/png" in b], "a request carried image data"


def test_supply_charts_and_report(page, live_app):
    onboard(page)
    session = session_of(page)
    page.goto("/supply")
    page.get_by_label("Number of capsules").fill("30")
    page.get_by_label("Strength of each capsule").fill("20")
    page.get_by_role("button", name="Save pick-up").click()
    expect(page.locator(".supply .stats")).to_contain_text("30 × 20 mg")
    expect(page.locator(".supply .stats")).to_contain_text("Runs out (estimate)")

    page.goto("/journal")
    page.locator("form.checkin").get_by_role("radio", name="4", exact=True).check()
    page.get_by_label("Dry or cracked lips: Mild").check()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.locator("#triage .triage-status")).to_have_text("Saved.")

    page.goto("/charts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Charts")
    expect(page.locator(".chart canvas")).to_have_count(3)  # uPlot: cumulative dose, skin, one side effect
    expect(page.locator(".adherence-calendar .cal-day:not(.cal-empty)")).to_have_count(1)
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    expect(page.locator("details table")).to_have_count(3)
    expect(page.get_by_role("region", name="Capsules by day table")).to_contain_text(
        "Today, not all logged yet"
    )

    page.goto("/report")
    report = page.locator(".report-page")
    expect(report).to_contain_text("does not replace the clinic's records")
    status, body = live_app.api("GET", f"/courses/{session['courseId']}/report", session["token"])
    assert status == 200
    expect(report.get_by_role("definition").filter(has_text=f"{body['cumulative_mg']:g}")).not_to_have_count(0)
    expect(report.locator("dl[aria-label='Cumulative dose']")).to_contain_text("Total taken (mg)")
    with page.expect_download(timeout=60_000) as pdf_download:  # no share sheet in this browser: a download
        page.get_by_role("button", name="Share or save as PDF").click()
        expect(page.get_by_role("button", name="Preparing the PDF…")).to_be_disabled()
        live_app.flask("reminders", "files")  # the worker draws it
    assert pdf_download.value.path().read_bytes().startswith(b"%PDF-")
    assert pdf_download.value.suggested_filename.startswith("clearcourse-report-")
    page.get_by_role("link", name="Settings, Calendar").click()  # the calendar link is made in Settings
    expect(page.locator("#calendar-heading")).to_be_in_viewport()


@pytest.mark.parametrize(
    "path,heading",
    [
        ("/journal", "Journal"),
        ("/mood", "Weekly mood check"),
        ("/photos", "Skin photos"),
        ("/supply", "Capsule supply"),
        ("/charts", "Charts"),
        ("/report", "Report for your prescriber"),
    ],
)
def test_record_screens_have_no_axe_violations(page, axe_source, path, heading):
    onboard(page)
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    assert axe_violations(page, axe_source) == [], path


PHOTO_COUNT = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('clearcourse-photos');
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains('photos')) return resolve(0);
    const count = db.transaction('photos').objectStore('photos').count();
    count.onsuccess = () => { db.close(); resolve(count.result); };
    count.onerror = () => reject(count.error);
  };
  open.onerror = () => reject(open.error);
})"""


def test_delete_everything_also_deletes_the_photos(page):
    onboard(page)
    page.goto("/photos")
    page.set_input_files("#photo-front", files=[{"name": "f.png", "mimeType": "image/png", "buffer": PNG}])
    expect(page.locator(".photo-day img")).to_have_count(1)
    assert page.evaluate(PHOTO_COUNT) == 1
    page.goto("/settings")
    page.get_by_role("button", name="Delete everything").click()
    page.get_by_role("button", name="Yes, delete everything").click()
    expect(page).to_have_url(re.compile(r"/onboarding$"))
    assert page.evaluate(PHOTO_COUNT) == 0


def test_deleting_a_photo_asks_first_and_can_be_undone_for_a_few_seconds(page):
    onboard(page)
    page.goto("/photos")
    page.set_input_files("#photo-front", files=[{"name": "f.png", "mimeType": "image/png", "buffer": PNG}])
    photo = page.locator(".photo-day img")
    expect(photo).to_have_count(1)
    page.wait_for_function(PHOTOS_DECODED)

    page.get_by_role("button", name=re.compile(r"^Delete… ?: Front")).click()
    confirm = page.get_by_role("group", name=re.compile(r"^Delete Front, "))
    expect(confirm).to_contain_text("Delete this photo?")
    confirm.get_by_role("button", name="Keep").click()
    expect(confirm).to_have_count(0)
    assert page.evaluate(PHOTO_COUNT) == 1

    page.get_by_role("button", name=re.compile(r"^Delete… ?: Front")).click()
    page.get_by_role("button", name=re.compile(r"^Delete ?: Front")).click()
    expect(photo).to_have_count(0)
    assert page.evaluate(PHOTO_COUNT) == 0
    undo = page.locator(".undo-bar").get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    undo.click()
    expect(photo).to_have_count(1)
    page.wait_for_function(PHOTOS_DECODED)
    assert page.evaluate(PHOTO_COUNT) == 1

    page.get_by_role("button", name=re.compile(r"^Delete… ?: Front")).click()
    page.get_by_role("button", name=re.compile(r"^Delete ?: Front")).click()
    expect(page.locator(".undo-bar")).to_contain_text("deleted")
    page.clock.run_for(11_000)  # the offer to undo ends
    expect(page.locator(".undo-bar")).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Skin photos")
    expect(photo).to_have_count(0)
    assert page.evaluate(PHOTO_COUNT) == 0
