"""The charts' date axis (frontend/src/lib/chartAxis.ts, run under node): whole-day ticks, never two
labels for the same date, no more labels than fit, dates in the locale's words."""

from __future__ import annotations

import itertools

import pytest

from tests.support.frontend_script import run_frontend_script

DAY = 86_400
DEC_5 = 1_796_428_800  # 2026-12-05T00:00:00Z


def calls(*pairs):
    return run_frontend_script("lib-calls.mjs", {"module": "chartAxis", "calls": [list(p) for p in pairs]})


@pytest.fixture(autouse=True)
def english(monkeypatch):
    monkeypatch.setenv("LANG", "en_US.UTF-8")


@pytest.mark.parametrize(
    ("first", "last", "width"),
    [
        (DEC_5, DEC_5, 256),  # one check-in: uPlot's own ticks read "Dec 5, Dec 5, Dec 5"
        (DEC_5, DEC_5 + DAY, 256),
        (DEC_5, DEC_5 + 6 * DAY, 256),
        (DEC_5 - 89 * DAY, DEC_5, 256),
        (DEC_5 - 89 * DAY, DEC_5, 600),
        (DEC_5 - 400 * DAY, DEC_5, 300),
        (DEC_5 + 3600, DEC_5 + 7200, 60),
    ],
)
def test_one_label_per_tick_and_only_as_many_as_fit(first, last, width):
    [(low, high)] = calls(("dayRange", [first, last]))
    assert low <= first and high >= last
    assert high - low >= 2 * DAY  # a single day is shown with days around it, not hours
    [ticks] = calls(("dayTicks", [low, high, width]))
    assert ticks, "no tick at all"
    assert all(t % DAY == 0 and low <= t <= high for t in ticks), ticks
    assert len(ticks) <= max(1, width // 64), (len(ticks), width)
    [labels] = calls(("dayLabels", [ticks]))
    assert len(set(labels)) == len(labels), labels
    gaps = {b - a for a, b in itertools.pairwise(ticks)}
    assert len(gaps) <= 1, gaps  # evenly spaced


def test_labels_are_dates_in_the_locale_with_the_year_on_a_long_axis():
    assert calls(("dayLabels", [[DEC_5, DEC_5 + 28 * DAY]])) == [["Dec 5", "Jan 2"]]
    assert calls(("dayLabels", [[DEC_5, DEC_5 + 364 * DAY]])) == [["Dec 5, 26", "Dec 4, 27"]]


def test_a_ninety_day_chart_on_a_320_px_phone_is_labelled_every_few_weeks():
    [ticks] = calls(("dayTicks", [DEC_5 - 89 * DAY, DEC_5, 256]))
    assert len(ticks) == 4 and ticks[1] - ticks[0] == 28 * DAY
