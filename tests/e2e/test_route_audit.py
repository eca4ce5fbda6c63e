"""Every screen on every phone: each route the router knows, for patients in different states, at 320×640
and 390×844, light and dark, online and offline.

A screen fails when the page or any element is wider than the phone, the console shows an error (a CSP
violation included), an image did not decode, axe-core finds a WCAG 2.2 AA violation, a tap target is under
24×24 px, a text is under 12 px, or "Get help" is off screen once scrolled to the bottom. The routes are read
from frontend/src/router.ts, so a new screen is audited without editing this test. One screenshot per route
and size (light, online) goes to ROUTE_AUDIT_DIR (default test-results/route-audit/); the run's summary
names it.
"""

from __future__ import annotations

import contextlib
import re
import struct
import uuid
import zlib
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import REPO, morning
from tests.e2e.helpers import (
    axe_violations,
    daily_doses,
    onboard,
    phone_language,
    session_of,
    wait_for_service_worker_control,
)
from tests.e2e.language import catalog, leaked

pytestmark = pytest.mark.e2e

ROUTER = REPO / "frontend" / "src" / "router.ts"
SIZES = [{"width": 320, "height": 640}, {"width": 390, "height": 844}]
SCHEMES = ["light", "dark"]
UNKNOWN_PATH = "/no-such-screen"


def router_paths() -> list[str]:
    """The paths of the router's ROUTES table, as the app's source has them, plus one it does not know."""
    source = ROUTER.read_text()
    table = re.search(r"const ROUTES[^=]*=\s*\{(.*?)\};", source, re.S)
    assert table, f"no ROUTES table in {ROUTER}"
    paths = re.findall(r"'(/[^']*)'\s*:", table.group(1))
    assert "/" in paths and len(paths) >= 10, paths
    return [*paths, UNKNOWN_PATH]


def test_router_paths_are_read_from_the_source():
    paths = router_paths()
    assert {"/", "/settings", "/photos", "/help", "/report", UNKNOWN_PATH} <= set(paths)


def test_the_tab_bar_fits_a_320_px_phone(page):
    """Five tabs of 64 px: each icon and label inside its own tab, with room between neighbours."""
    page.set_viewport_size(SIZES[0])
    onboard(page)
    tabs = page.get_by_role("navigation", name="Main").locator(".tab")
    expect(tabs).to_have_count(5)
    for i in range(5):
        tab = tabs.nth(i).bounding_box()
        for part in ("svg", "span"):
            box = tabs.nth(i).locator(part).bounding_box()
            inside = box["x"] >= tab["x"] + 2 and box["x"] + box["width"] <= tab["x"] + tab["width"] - 2
            assert inside, (tabs.nth(i).inner_text(), part, box, tab)
        assert tabs.nth(i).locator("span").evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)") >= 12


def audit_dir() -> Path:
    from tests.e2e import conftest

    return conftest.route_audit_dir()


def png(width: int, height: int, seed: int) -> bytes:
    """A small real PNG (a soft gradient), so a photo that shows is seen in the screenshots."""
    rows = b"".join(
        b"\x00"
        + bytes(
            channel
            for x in range(width)
            for channel in ((180 + seed * 20 + x) % 256, (120 + y) % 256, (150 + seed * 30) % 256)
        )
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


class Patient:
    def __init__(self, live_app, page) -> None:
        self.live_app = live_app
        self.session = session_of(page)
        self.id = self.session["courseId"]
        _, course = self.call("GET", "")
        self.today = datetime.now(ZoneInfo(course["timezone"])).date()

    def call(self, method: str, path: str, body: object | None = None, ok=(200, 201, 204)):
        status, answer = self.live_app.api(method, f"/courses/{self.id}{path}", self.session["token"], body)
        assert status in ok, (method, path, status, answer)
        return status, answer

    def start(self, days_ago: int) -> date:
        start = self.today - timedelta(days=days_ago)
        plan = [{"from_date": start.isoformat(), "daily_mg": 40, "doses_per_day": 1, "dose_times": ["08:00"]}]
        self.call("PATCH", "", {"start_date": start.isoformat(), "weight_kg": 60, "dose_plan": plan})
        return start

    def doses(self, start: date, days: int, missing: set[int], skipped: set[int]) -> None:
        doses = daily_doses(start, days, missing=missing, skipped=skipped)
        self.call("POST", "/doses/batch", {"doses": doses})


def rich(page, live_app) -> None:
    """Two months in: doses with a gap and skips, check-ins with a red flag, mood answers, pick-ups,
    appointments and photos."""
    patient = Patient(live_app, page)
    start = patient.start(60)
    patient.doses(start, 60, missing=set(range(20, 25)), skipped={8, 40})
    for n, (skin, dry_lips, flags) in enumerate(
        [(7, 2, []), (6, 3, []), (5, 2, ["chest_pain"]), (4, 1, []), (3, 1, ["mood_change"])]
    ):
        day = start + timedelta(days=10 + n * 11)
        body = {
            "skin": skin,
            "effects": {"dry_lips": dry_lips, "dry_skin": 1, "headache": n % 3},
            "red_flags": flags,
            "note": "Lips cracked in the cold; used balm twice." if n == 1 else None,
        }
        patient.call("PUT", f"/checkins/{day.isoformat()}", body)
    answers = ["not_at_all", "several_days", "more_than_half_the_days", "nearly_every_day"]
    for n in range(6):
        year, week, _ = (start + timedelta(days=7 * n + 3)).isocalendar()
        body = {
            "interest": answers[n % 4],
            "low_mood": answers[(n + 1) % 4],
            "self_harm_thoughts": n == 4,
            "sexual_function": "no_change",
        }
        patient.call("PUT", f"/mood/{year}-W{week:02d}", body)
    for days_ago, capsules in ((60, 30), (30, 30)):
        body = {
            "picked_up_on": (patient.today - timedelta(days=days_ago)).isoformat(),
            "capsules": capsules,
            "strength_mg": 40,
        }
        patient.call("POST", "/supply/pickups", body)
    for kind, days, place in (
        ("dermatologist_visit", -28, "Dr. Moreno · 2F"),
        ("blood_test", 5, "Lab 7"),
        ("dermatologist_visit", 9, None),
    ):
        at = (patient.today + timedelta(days=days)).isoformat() + "T09:30"
        body = {"kind": kind, "starts_at": at, "place": place, "fasting": kind == "blood_test"}
        patient.call("POST", "/appointments", body)
    own = catalog(phone_language(page))
    page.goto("/photos")
    expect(page.get_by_role("heading", level=1)).to_have_text(own["photos.title"])
    for n, days_ago in enumerate((40, 0)):
        day = (patient.today - timedelta(days=days_ago)).isoformat()
        page.get_by_label(own["photos.date"], exact=True).fill(day)
        for m, view in enumerate(("front", "left", "right")):
            file = {"name": f"{view}.png", "mimeType": "image/png", "buffer": png(96, 72, n * 3 + m)}
            page.set_input_files(f"#photo-{view}", files=[file])
    expect(page.locator(".photo-day img")).to_have_count(6)


def ended(page, live_app) -> None:
    """A course that ended yesterday, after six months of capsules, under a programme with two rule sets."""
    patient = Patient(live_app, page)
    patient.call("PATCH", "", {"programme": "us_ipledge"})
    start = patient.start(185)
    patient.doses(start, 184, missing={90}, skipped={30})
    patient.call("PATCH", "", {"ended_on": (patient.today - timedelta(days=1)).isoformat()})


def paused(page, live_app) -> None:
    """Forty days in, paused since three days ago after a red flag, with an earlier pause already over."""
    patient = Patient(live_app, page)
    start = patient.start(40)
    patient.doses(start, 37, missing={10, 11, 12}, skipped={20})
    for started, resumed, reason in ((10, 13, "prescriber"), (37, None, "chest_pain")):
        body = {
            "id": str(uuid.uuid4()),
            "started_on": (start + timedelta(days=started)).isoformat(),
            "resumed_on": None if resumed is None else (start + timedelta(days=resumed)).isoformat(),
            "reason": reason,
        }
        patient.call("POST", "/pauses", body)
    flagged = (start + timedelta(days=37)).isoformat()
    patient.call("PUT", f"/checkins/{flagged}", {"skin": 4, "red_flags": ["chest_pain"]})


def fresh(page, live_app) -> None:
    """A phone that has not set up a course: only set-up, help and the unknown page show."""


PATIENTS = {"course-in-progress": rich, "course-paused": paused, "course-ended": ended, "new-phone": fresh}


# Everything measured in the page, in one pass: a list of what a person on this phone would meet wrongly.
PROBLEMS_JS = r"""
() => {
  const problems = [];
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    else if (el.classList.length) s += '.' + [...el.classList].join('.');
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ');
    return text ? `${s} "${text.slice(0, 40)}"` : s;
  };
  const hidden = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.display === 'none' || style.visibility === 'hidden') return true;
      if (style.clipPath === 'inset(50%)' || style.clip === 'rect(0px, 0px, 0px, 0px)') return true;
      if (e.tagName === 'DETAILS' && !e.open && e !== el) {
        const summary = e.querySelector(':scope > summary');
        if (!summary || !summary.contains(el)) return true;
      }
    }
    return false;
  };
  // An element inside a box that scrolls or clips sideways may be wider than the phone: the box shows.
  const clippedSideways = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const overflow = getComputedStyle(e).overflowX;
      if (overflow !== 'visible') return true;
    }
    return false;
  };

  const doc = document.documentElement;
  if (doc.scrollWidth > vw) problems.push(`page is ${doc.scrollWidth}px wide (phone ${vw}px)`);
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if ((r.right > vw + 1 || r.left < -1) && !hidden(el) && !clippedSideways(el)) {
      if (el.classList.contains('skip-link') && document.activeElement !== el) continue;
      wide.push(`${name(el)} spans ${Math.round(r.left)}..${Math.round(r.right)}px`);
    }
  }
  problems.push(...wide.slice(0, 5));

  for (const img of document.images) {
    if (!img.complete || img.naturalWidth === 0) {
      problems.push(`image did not decode: ${name(img)} ${img.src.slice(0, 30)}`);
    }
  }

  const targets = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], '
      + '[tabindex]:not([tabindex="-1"])'
  );
  for (const el of targets) {
    if (hidden(el)) continue;
    const r = el.getBoundingClientRect();
    if (!r.width && !r.height) continue;
    let w = r.width, h = r.height;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      // A link inside a sentence is exempt (WCAG 2.5.8, "inline").
      const block = el.parentElement;
      if (block && block.textContent.trim().length > el.textContent.trim().length) continue;
    }
    const box = el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio');
    if (box && el.labels && el.labels.length) {
      // The label toggles the same box: the target is both together (WCAG 2.5.8, "equivalent").
      const boxes = [r, ...[...el.labels].map((l) => l.getBoundingClientRect())];
      const left = Math.min(...boxes.map((b) => b.left)), right = Math.max(...boxes.map((b) => b.right));
      const top = Math.min(...boxes.map((b) => b.top)), bottom = Math.max(...boxes.map((b) => b.bottom));
      w = right - left;
      h = bottom - top;
    }
    if (w < 23.5 || h < 23.5) problems.push(`tap target ${Math.round(w)}×${Math.round(h)}px: ${name(el)}`);
  }

  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const small = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || small.has(el) || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName) || hidden(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 11.95) {
      small.add(el);
      problems.push(`text ${size}px: ${name(el)}`);
    }
  }

  window.scrollTo({ top: doc.scrollHeight, behavior: 'instant' });
  const help = document.querySelector('.help-link');
  if (!help) problems.push('no "Get help" link');
  else {
    const r = help.getBoundingClientRect();
    if (r.top < 0 || r.bottom > vh || r.left < 0 || r.right > vw || !r.width) {
      problems.push(`"Get help" off screen after scrolling to the bottom (top ${Math.round(r.top)}px)`);
    }
  }
  window.scrollTo({ top: 0, behavior: 'instant' });
  return problems;
}
"""


def settle(page) -> None:
    """Waits for the screen's data and lazy parts: a heading, no pending requests, fonts and images."""
    expect(page.locator("main h1")).to_be_visible()
    with contextlib.suppress(PlaywrightTimeout):  # a screen may keep a request open; the checks follow anyway
        page.wait_for_load_state("networkidle", timeout=5_000)
    page.evaluate(
        """async () => {
          await document.fonts.ready;
          await Promise.all([...document.images].map((img) => img.decode().catch(() => undefined)));
          await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
        }"""
    )


# Colours change with a short transition when the scheme flips: measure once every transition has ended.
SETTLED_STYLES = """async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await frame();
  const running = document.getAnimations().filter((a) => a.playState === 'running' && a.effect
    && a.effect.getComputedTiming().endTime !== Infinity);
  const ended = Promise.all(running.map((a) => a.finished.catch(() => undefined)));
  await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
  await frame();
}"""


# The page's text without what is English on purpose (the facts, quoted as the list writes them) or unseen
# while scripts run (<noscript>).
OWN_LANGUAGE_TEXT = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('[lang="en"], script, style, noscript').forEach((el) => el.remove());
  return [...copy.querySelectorAll('*')].map((el) => [...el.childNodes].filter((n) => n.nodeType === 3)
    .map((n) => n.textContent).join(' ')).join('\\n');
}"""


def axe(page, axe_source: str) -> list[str]:
    return [f"axe {violation}" for violation in axe_violations(page, axe_source)]


#: Every patient in English; the two richest again on a Spanish and a German phone (German is the longest).
AUDITS = [
    *[(who, "en-US") for who in PATIENTS],
    ("course-in-progress", "es-ES"),
    ("course-paused", "de-DE"),
    ("new-phone", "de-DE"),
]


@pytest.mark.parametrize(("who", "locale"), AUDITS)
def test_every_route_on_every_phone(browser, live_app, axe_source, who, locale):
    shots = audit_dir() / (who if locale == "en-US" else f"{who}-{locale}")
    shots.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(
        base_url=live_app.url, viewport=SIZES[1], service_workers="allow", locale=locale
    )
    ctx.set_default_timeout(20_000)
    morning(ctx)
    page = ctx.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"uncaught: {e}"))
    ctx.add_init_script(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error(`CSP blocked ${e.blockedURI} (${e.violatedDirective})`));"
    )
    try:
        if who == "new-phone":
            page.goto("/")
            expect(page.get_by_role("heading", level=1)).to_have_text(catalog(locale[:2])["setup.title"])
        else:
            onboard(page)
            PATIENTS[who](page, live_app)
        wait_for_service_worker_control(page)
        failures: list[str] = []
        for offline in (False, True):
            ctx.set_offline(offline)
            seen: set[str] = set()
            for path in router_paths():
                page.set_viewport_size(SIZES[1])
                page.emulate_media(color_scheme="light")
                console.clear()
                page.goto(path)
                settle(page)
                failures += [f"{who} {path} {'offline' if offline else 'online'}: {line}" for line in console]
                if locale != "en-US":
                    text = page.evaluate(OWN_LANGUAGE_TEXT)
                    for words in leaked(text, ("",), locale[:2]):
                        at = text.index(words)
                        context = text[max(0, at - 30) : at + 40]
                        failures.append(f"{who} {path}: English on {locale}: {context!r}")
                shown = page.evaluate("() => location.pathname")
                if shown in seen:
                    continue  # the router sent this path to a screen already audited (set-up, Today)
                seen.add(shown)
                for size in SIZES:
                    page.set_viewport_size(size)
                    for scheme in SCHEMES:
                        page.emulate_media(color_scheme=scheme)
                        page.evaluate(SETTLED_STYLES)
                        network = "offline" if offline else "online"
                        where = f"{who} {path}→{shown} {size['width']}px {scheme} {network}"
                        found = page.evaluate(PROBLEMS_JS) + axe(page, axe_source)
                        failures += [f"{where}: {problem}" for problem in found]
                        if scheme == "light" and not offline:
                            name = (path.strip("/") or "today").replace("/", "_")
                            page.screenshot(path=str(shots / f"{name}-{size['width']}.png"), full_page=True)
        assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
    finally:
        ctx.close()
