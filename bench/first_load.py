"""The PWA's first load as transferred, and (optionally) Lighthouse's mobile performance score.

Serves the built PWA with the real run command (`python -m backend.serve --no-scheduler`: Granian +
WhiteNoise, fresh SQLite file), then
  1. opens `/` in Debian's chromium (Playwright, 390×844, empty cache) and sums the bytes each response
     took on the wire (Chromium's `encodedDataLength`: headers + body as sent, compressed) until the network
     is idle — the page's own requests; the service worker's precache runs afterwards, in its own context;
  2. with `--lighthouse PATH` (a Lighthouse 12 CLI, e.g. from `npm install lighthouse@12.8.2` in a scratch
     folder: Node 20 needs 12.x), runs `lighthouse --only-categories=performance` (mobile, simulated
     throttling) `--runs` times against the same server with CHROME_PATH=/usr/bin/chromium and prints each
     score and the median.

     Each run's main-thread breakdown, script boot-up and long tasks are printed too, and from the run's
     trace every task after the first paint with its wall and CPU time (`--save-json DIR` keeps the
     reports and traces).

Run: `.venv/bin/python bench/first_load.py [--locale es-ES]
[--lighthouse /tmp/lh/node_modules/.bin/lighthouse --runs 3]`
(build first: `cd frontend && npm run build`).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BUDGET_KB = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(workdir: Path) -> tuple[subprocess.Popen, str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'first-load.db'}",
        "INSTANCE_PATH": str(workdir),
        "VAPID_SUBJECT": "mailto:push-test@clearcourse.dev",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.serve", "--port", str(port), "--no-scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("the server did not come up")


def first_load(base: str, locale: str = "en-US") -> list[tuple[str, str, int]]:
    """(url, content-encoding, bytes on the wire) of every response of a first visit to `/` by a phone set to
    `locale` (a Spanish or German phone fetches its language's catalogs instead of English)."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, list] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale=locale)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on(
            "Network.responseReceived",
            lambda e: rows.__setitem__(
                e["requestId"],
                [e["response"]["url"], e["response"]["headers"].get("content-encoding", "-"), 0],
            ),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: rows.get(e["requestId"], [None, None, 0]).__setitem__(2, int(e["encodedDataLength"])),
        )
        page.goto(base + "/", wait_until="networkidle")
        page.wait_for_timeout(500)
        browser.close()
    return [
        (url.replace(base, ""), enc, size)
        for url, enc, size in rows.values()
        if url and not url.startswith("data:")
    ]


def main_thread_tasks(trace: list[dict]) -> tuple[float, list[tuple[float, float, float]]]:
    """(observed FCP, [(start, wall ms, CPU ms)] of every main-thread task) from a Lighthouse trace, in ms
    from navigation. Wall time includes the time the thread waited for a core; CPU time (`tdur`) does not."""
    evaluating = Counter((e["pid"], e["tid"]) for e in trace if e.get("name") == "v8.evaluateModule")
    pid, tid = evaluating.most_common(1)[0][0]
    nav = min(e["ts"] for e in trace if e.get("name") == "navigationStart" and e["pid"] == pid)
    fcp = min(e["ts"] for e in trace if e.get("name") == "firstContentfulPaint" and e["pid"] == pid)
    tasks = [
        ((e["ts"] - nav) / 1000, e["dur"] / 1000, e.get("tdur", 0) / 1000)
        for e in trace
        if e.get("name") == "RunTask" and e.get("ph") == "X" and (e["pid"], e["tid"]) == (pid, tid)
    ]
    return (fcp - nav) / 1000, sorted(tasks)


def lighthouse(cli: str, base: str, runs: int, save: Path) -> list[dict]:
    results = []
    save.mkdir(parents=True, exist_ok=True)
    for run in range(1, runs + 1):
        report_path = save / f"lighthouse-{run}.json"
        out = subprocess.run(
            [
                cli,
                base + "/",
                "--only-categories=performance",
                "--output=json",
                f"--output-path={report_path}",
                "--save-assets",
                "--quiet",
                "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
            ],
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        report = json.loads(report_path.read_text())
        trace = json.loads((save / f"lighthouse-{run}-0.trace.json").read_text())["traceEvents"]
        fcp, tasks = main_thread_tasks(trace)
        audits = report["audits"]
        breakdown = audits["mainthread-work-breakdown"]["details"]["items"]
        bootup = audits["bootup-time"]["details"]["items"]
        results.append(
            {
                "score": report["categories"]["performance"]["score"],
                "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
                "fcp_ms": audits["first-contentful-paint"]["numericValue"],
                "tbt_ms": audits["total-blocking-time"]["numericValue"],
                "bytes": audits["total-byte-weight"]["numericValue"],
                "mainthread": {item["groupLabel"]: item["duration"] for item in breakdown},
                "bootup": [(item["url"], item["scripting"], item["scriptParseCompile"]) for item in bootup],
                "long_tasks": [
                    (task["url"], task["startTime"], task["duration"])
                    for task in audits["long-tasks"]["details"]["items"]
                ],
                "observed_fcp": fcp,
                "tasks": tasks,
            }
        )
    return results


def print_main_thread(results: list[dict], base: str) -> None:
    """Where each run's main-thread time went: Lighthouse's groups and long tasks (simulated, 4x-slowed ms),
    then the tasks after the observed first paint as recorded (wall and CPU ms, unthrottled). Lighthouse's
    TBT multiplies wall time by 4, so a core taken by other processes counts as blocking; the CPU-based
    estimate (sum of 4 x CPU - 50 ms over the tasks after FCP) is what the page itself costs."""
    for i, r in enumerate(results, 1):
        ranked = sorted(r["mainthread"].items(), key=lambda item: -item[1])
        groups = ", ".join(f"{label} {ms:.0f}" for label, ms in ranked)
        print(f"\nrun {i} main thread (simulated ms): {groups}")
        for url, scripting, parse in r["bootup"]:
            print(f"  script {url.replace(base, '')}: scripting {scripting:.0f}, parse/compile {parse:.0f}")
        for url, start, duration in r["long_tasks"]:
            print(f"  long task at {start:.0f} ms: {duration:.0f} ms ({url.replace(base, '')})")
        after = [(start, wall, cpu) for start, wall, cpu in r["tasks"] if start + wall > r["observed_fcp"]]
        shown = ", ".join(f"{wall:.0f}/{cpu:.0f}" for _, wall, cpu in after if wall >= 5)
        cpu_tbt = sum(max(0.0, 4 * cpu - 50) for _, _, cpu in after)
        longest = max((cpu for _, _, cpu in after), default=0)
        print(
            f"  observed FCP {r['observed_fcp']:.0f} ms; tasks after it ≥ 5 ms, wall/CPU ms: {shown}; "
            f"longest CPU {longest:.1f} ms; CPU-based TBT estimate {cpu_tbt:.0f} ms"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--lighthouse", help="path of a Lighthouse 12 CLI; without it only the bytes are measured"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--locale", default="en-US", help="the phone's language for the byte count: es-ES…")
    parser.add_argument(
        "--save-json",
        type=Path,
        help="folder for each run's Lighthouse report and trace (default: a temporary one)",
    )
    args = parser.parse_args()
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        print("build the PWA first: cd frontend && npm run build", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="cc-first-load-"))
    proc, base = serve(workdir)
    try:
        rows = first_load(base, args.locale)
        total = sum(size for _, _, size in rows)
        print("| request | content-encoding | bytes transferred |")
        print("|---|---|---:|")
        for url, enc, size in rows:
            print(f"| `{url}` | {enc} | {size:,} |")
        print(f"| **first load** | | **{total:,} ({total / 1024:.1f} KB, budget {BUDGET_KB} KB)** |")
        if args.lighthouse:
            results = lighthouse(args.lighthouse, base, args.runs, args.save_json or workdir / "lighthouse")
            print("\n| run | performance | LCP ms | FCP ms | TBT ms | total bytes |")
            print("|---|---:|---:|---:|---:|---:|")
            for i, r in enumerate(results, 1):
                print(
                    f"| {i} | {r['score']:.2f} | {r['lcp_ms']:.0f} | {r['fcp_ms']:.0f} | {r['tbt_ms']:.0f} "
                    f"| {r['bytes']:,.0f} |"
                )
            print(
                f"| **median** | **{statistics.median(r['score'] for r in results):.2f}** | "
                f"{statistics.median(r['lcp_ms'] for r in results):.0f} | | | |"
            )
            print_main_thread(results, base)
        return 0 if total / 1024 <= BUDGET_KB else 1
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


if __name__ == "__main__":
    raise SystemExit(main())
