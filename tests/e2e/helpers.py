"""Steps shared by the browser tests: onboarding, the device store, the service worker, axe-core."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import TypeVar

from playwright.sync_api import Page, expect

from tests.e2e.conftest import morning
from tests.e2e.language import catalog

T = TypeVar("T")

IDB = """
const openDb = () => new Promise((resolve, reject) => {
  const open = indexedDB.open('clearcourse');
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});
const ask = (request) => new Promise((resolve, reject) => {
  request.onsuccess = () => resolve(request.result);
  request.onerror = () => reject(request.error);
});
"""

READ_SESSION = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const session = await ask(db.transaction('kv').objectStore('kv').get('session'));
  const course = await ask(db.transaction('kv').objectStore('kv').get('course'));
  db.close();
  return { token: session && session.token, courseId: course && course.data.id };
})();
"""
)

READ_OUTBOX = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const records = await ask(db.transaction('outbox').objectStore('outbox').getAll());
  db.close();
  return records;
})();
"""
)

READ_COURSE = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const saved = await ask(db.transaction('kv').objectStore('kv').get('course'));
  db.close();
  return saved ? saved.data : null;
})();
"""
)

STORE_COUNTS = (
    IDB
    + """
return (async () => {
  const db = await openDb();
  const counts = [];
  for (const store of ['kv', 'today', 'outbox']) {
    counts.push(await ask(db.transaction(store).objectStore(store).count()));
  }
  db.close();
  return counts;
})();
"""
)

ADD_OUTBOX_RECORD = (
    IDB
    + """
return navigator.locks.request('clearcourse-outbox', async () => {
  const db = await openDb();
  await ask(db.transaction('outbox', 'readwrite').objectStore('outbox').add(arg));
  const count = await ask(db.transaction('outbox').objectStore('outbox').count());
  db.close();
  return count;
});
"""
)


def run_js(page: Page, body: str, arg: object = None):
    """Runs a script body (which may `return` a promise) with `arg` in scope."""
    return page.evaluate(f"(arg) => {{ {body} }}", arg)


LANGUAGE_PICKER = "Language · Idioma · Sprache"  # the picker's name in every language (set-up and Settings)


def phone_language(page: Page) -> str:
    """The app's language for the browser's locale (es-MX → es), as the app negotiates it."""
    primary = page.evaluate("navigator.language").split("-")[0].lower()
    return primary if primary in ("es", "de") else "en"


def day_heading(language: str, day: int = 1, week: int = 1) -> str:
    """Today's heading ("Day 1 · week 1") in a language, from its catalog."""
    return catalog(language)["today.headline.day"].replace("{day}", str(day)).replace("{week}", str(week))


def onboard(
    page: Page,
    *,
    doses_per_day: int = 1,
    daily_mg: str = "40",
    per_dose: tuple[str, str] | None = None,
    language: str | None = None,
) -> None:
    """Sets up a course through the real form, skips the reminders offer and lands on Today."""
    start_course(page, doses_per_day=doses_per_day, daily_mg=daily_mg, per_dose=per_dose, language=language)
    skip_reminder_offer(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(day_heading(language or phone_language(page)))


def start_course(
    page: Page,
    *,
    doses_per_day: int = 1,
    daily_mg: str = "40",
    per_dose: tuple[str, str] | None = None,
    language: str | None = None,
) -> None:
    """Fills in the set-up form (a course starting today) and sends it (`per_dose`: mg at 08:00, 20:00), in
    the language of the browser's locale, or in `language` chosen first with the form's own language picker:
    every label is read from that language's catalog."""
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/onboarding$"))
    if language is not None:
        page.get_by_role("combobox", name=LANGUAGE_PICKER).select_option(language)
    own = catalog(language or phone_language(page))
    expect(page.get_by_role("heading", level=1)).to_have_text(own["setup.title"])
    page.get_by_label(own["setup.weight"]).fill("70")
    if per_dose is not None:
        page.get_by_label(own["setup.plan.per_dose"]).check()
        page.get_by_label(own["setup.plan.dose1_mg"]).fill(per_dose[0])
        page.get_by_label(own["setup.plan.dose2_mg"]).fill(per_dose[1])
    else:
        page.get_by_label(own["setup.plan.daily_mg"]).fill(daily_mg)
    if doses_per_day == 2 and per_dose is None:
        page.get_by_label(own["setup.plan.twice"]).check()
    if doses_per_day == 2 or per_dose is not None:
        page.get_by_label(own["setup.plan.time1"]).fill("08:00")
        page.get_by_label(own["setup.plan.time2"]).fill("20:00")
    page.get_by_label(own["setup.product.standard"]).check()
    page.get_by_label(own["setup.programme.none"]).check()
    page.get_by_label(own["setup.pregnancy.no"], exact=True).check()
    page.get_by_label(own["setup.target.given"]).check()  # nothing is filled in by itself
    page.get_by_label(own["setup.target.value"]).fill("120")
    page.get_by_role("button", name=own["setup.submit"]).click()


def skip_reminder_offer(page: Page) -> None:
    """After set-up the app offers reminders on a screen of its own (in the phone's language): skip it,
    landing on Today."""
    expect(page.get_by_role("heading", level=1)).to_have_text(in_any_language("reminders.offer.title"))
    page.get_by_role("button", name=in_any_language("reminders.offer.skip")).click()


def in_any_language(key: str) -> re.Pattern[str]:
    """The message `key` exactly, in whichever language the app writes."""
    return re.compile("^(?:" + "|".join(re.escape(catalog(lang)[key]) for lang in ("en", "es", "de")) + ")$")


def session_of(page: Page) -> dict:
    session = run_js(page, READ_SESSION)
    assert session["token"] and session["courseId"], session
    return session


def saved_course(page: Page) -> dict | None:
    """The course as saved on the device."""
    return run_js(page, READ_COURSE)


def doses_on_server(live_app, session: dict) -> list[dict]:
    """The course's dose logs as the server has them (`session` from `session_of`)."""
    status, doses = live_app.api("GET", f"/courses/{session['courseId']}/doses", session["token"])
    assert status == 200, doses
    return doses


def daily_doses(start: date, days: int, *, missing=(), skipped=(), mg: float = 40) -> list[dict]:
    """One capsule a day for `days` days from `start`, as POST …/doses/batch takes them: taken at 08:05,
    except the days (counted from 0) in `skipped` (logged as skipped) and in `missing` (no entry at all)."""
    doses = []
    for n in range(days):
        if n in missing:
            continue
        day = start + timedelta(days=n)
        taken = n not in skipped
        doses.append(
            {
                "id": str(uuid.uuid4()),
                "date": day.isoformat(),
                "slot": 1,
                "status": "taken" if taken else "skipped",
                "mg": mg if taken else 0,
                "taken_at": f"{day}T08:05:00+00:00" if taken else None,
            }
        )
    return doses


def outbox_of(page: Page) -> list[dict]:
    return run_js(page, READ_OUTBOX)


def store_counts(page: Page) -> list[int]:
    """Rows left in the device store: [kv, today, outbox]."""
    return run_js(page, STORE_COUNTS)


def add_outbox_record(page: Page, record: dict) -> int:
    """Adds `record` to the outbox and returns how many records it then holds, both under the outbox's Web
    Lock (the app's senders, in the page and the service worker, take it): none can send it in between."""
    return run_js(page, ADD_OUTBOX_RECORD, record)


def wait_for_service_worker_control(page: Page) -> None:
    """Waits until the worker controls this page (one reload if this load installed it)."""
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    if not page.evaluate("() => Boolean(navigator.serviceWorker.controller)"):
        page.reload()
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page, axe_source: str) -> list[str]:
    """WCAG 2.2 AA violations axe-core finds on the page as it is now, checked from the top of the page.

    axe's target-size rule counts a control as smaller while the fixed tab bar covers part of it, so the
    same page passed or failed by where a step had left it scrolled (a German check-in's answer radios
    under the tab bar at 320 px). The page is scrolled to the top for the check and back afterwards.
    """
    page.evaluate(axe_source)  # not a <script> tag: the strict CSP refuses inline scripts
    result = page.evaluate(
        """async (tags) => {
          const [x, y] = [window.scrollX, window.scrollY];
          window.scrollTo({ top: 0, left: 0, behavior: 'instant' });
          try {
            const only = { type: 'tag', values: tags };
            return await axe.run(document, { runOnly: only, resultTypes: ['violations'] });
          } finally {
            window.scrollTo({ top: y, left: x, behavior: 'instant' });
          }
        }""",
        AXE_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


def wait_until(probe: Callable[[], T], done: Callable[[T], bool], timeout: float = 15.0) -> T:
    """Calls `probe` until `done` holds for its value, or `timeout` seconds pass; returns the last value.

    For what the page does in the background (the outbox sends after the screen has changed): poll the
    outcome itself rather than a UI hint that may not have appeared yet. The caller asserts on the value.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if done(value) or time.monotonic() >= deadline:
            return value
        time.sleep(0.1)


class HeldAnswer:
    """Holds the first `method` request to `url` (a glob or a compiled pattern): the server answers it at
    once, but the page gets that answer only on `release()`; later requests pass. A slow network made
    certain: a read that started before what the test does next lands after it."""

    def __init__(self, page: Page, url: str | re.Pattern[str], method: str = "GET") -> None:
        self.page, self.url, self.method = page, url, method
        self.held: tuple | None = None
        page.route(url, self._handle)

    def _handle(self, route) -> None:
        if self.held is not None or route.request.method != self.method:
            route.fallback()
            return
        self.held = (route, route.fetch())

    def wait(self, timeout: float = 15.0) -> None:
        """Waits until the page has asked (the answer is then held)."""
        deadline = time.monotonic() + timeout
        while self.held is None and time.monotonic() < deadline:
            self.page.wait_for_timeout(100)
        assert self.held is not None, f"the page did not ask for {self.url}"

    def release(self) -> None:
        """Hands the page the answer the server gave when it asked, and lets later requests pass."""
        assert self.held is not None
        route, response = self.held
        route.fulfill(response=response)
        self.page.unroute(self.url, self._handle)


def phone_context(
    browser, live_app, width: int, scheme: str, timeout_ms: int = 15_000, locale: str = "en-US"
):
    """A phone-sized browser context (height 844) in a colour scheme and locale, serving the live app."""
    ctx = browser.new_context(
        base_url=live_app.url,
        viewport={"width": width, "height": 844},
        color_scheme=scheme,
        locale=locale,
        service_workers="allow",
    )
    ctx.set_default_timeout(timeout_ms)
    return ctx


@contextmanager
def phone_in(browser, live_app, locale: str, width: int, scheme: str) -> Iterator[tuple[Page, list[str]]]:
    """A phone whose browser is set to `locale` (height 844, its colour scheme, the clock at 08:05):
    yields its page and the list the page's uncaught errors go to; closes it afterwards."""
    ctx = phone_context(browser, live_app, width, scheme, locale=locale)
    morning(ctx)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page, errors
    finally:
        ctx.close()
