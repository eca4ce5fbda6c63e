"""Supply arithmetic: capsules left and the day they run out at the current plan."""

from datetime import date, time, timedelta

from backend.course.pauses import Pause
from backend.course.plan import Segment
from backend.record.supply import Pickup, TakenDose, supply

START = date(2026, 3, 1)
TWICE_40 = (Segment(START, 2, (time(8), time(20)), daily_mg=40),)


def test_no_pickup_no_supply():
    assert supply([], [], TWICE_40, START) is None


def test_sixty_twenties_last_thirty_days_from_the_pickup_day():
    # 60 × 20 mg = 1200 mg; 40 mg/day → days 1..30 covered, day 31 is not.
    s = supply([Pickup(START, 60, 20)], [], TWICE_40, START)
    assert s.capsules_left == 60 and s.mg_left == 1200
    assert s.runs_out_on == START + timedelta(days=30)
    assert not s.covers_to_last_capsule and not s.mixed_strengths


def test_taken_doses_use_the_stock_and_today_counts_only_unlogged_slots():
    today = START + timedelta(days=10)
    taken = [TakenDose(START + timedelta(days=d), s, 20) for d in range(10) for s in (1, 2)]
    taken.append(TakenDose(today, 1, 20))  # this morning's capsule
    s = supply([Pickup(START, 60, 20)], taken, TWICE_40, today)
    assert s.taken_mg == 420 and s.capsules_left == 39
    # 780 mg left: 20 tonight, then 40/day → 19 full days after today, out on day 20 after today.
    assert s.runs_out_on == today + timedelta(days=20)


def test_doses_before_the_first_pickup_come_from_an_earlier_supply():
    taken = [TakenDose(START, 1, 20), TakenDose(START, 2, 20)]
    s = supply([Pickup(START + timedelta(days=1), 30, 20)], taken, TWICE_40, START + timedelta(days=1))
    assert s.taken_mg == 0 and s.capsules_left == 30


def test_stock_that_outlasts_the_course_covers_it():
    s = supply([Pickup(START, 60, 20)], [], TWICE_40, START, last_capsule=START + timedelta(days=20))
    assert s.runs_out_on is None and s.covers_to_last_capsule


def test_alternating_plan_and_mixed_strengths():
    plan = (Segment(START, 1, (time(8),), cycle_mg=(40, 80)),)
    s = supply([Pickup(START, 10, 40), Pickup(START, 4, 20)], [], plan, START)
    # 480 mg covers four 40/80 cycles (days 0–7) exactly; day 8 has nothing left.
    assert s.mixed_strengths and s.strength_mg == 20 and s.capsules_left == 24
    assert s.runs_out_on == START + timedelta(days=8)


def test_prescription_limit_caps_the_next_supply_at_thirty_days():
    s = supply([Pickup(START, 200, 20)], [], TWICE_40, START, prescription_limit=True)
    assert s.runs_out_on == START + timedelta(days=100)
    assert s.next_supply_needed_on == START + timedelta(days=30)
    without = supply([Pickup(START, 200, 20)], [], TWICE_40, START)
    assert without.next_supply_needed_on == START + timedelta(days=100)


def test_paused_days_use_no_capsules_so_the_stock_lasts_longer():
    plain = supply([Pickup(START, 60, 20)], [], TWICE_40, START)
    paused = supply(
        [Pickup(START, 60, 20)],
        [],
        TWICE_40,
        START,
        pauses=[Pause(START + timedelta(days=5), START + timedelta(days=12))],
    )
    assert paused.runs_out_on == plain.runs_out_on + timedelta(days=7)
    # A pause still going on is assumed to end today: from tomorrow the capsules are used again.
    today = START + timedelta(days=3)
    still = supply([Pickup(START, 60, 20)], [], TWICE_40, today, pauses=[Pause(START + timedelta(days=2))])
    assert still.runs_out_on == today + timedelta(days=31)  # today paused, then 30 days of capsules


def test_a_projected_end_never_stops_the_count_it_only_adds_may_be_last_supply():
    """DOSE-13: the prescriber may go on past the total, so the run-out day and the next supply stay."""
    s = supply(
        [Pickup(START, 60, 20)],
        [],
        TWICE_40,
        START,
        projected_last=START + timedelta(days=20),
        prescription_limit=True,
    )
    assert s.runs_out_on == START + timedelta(days=30) and s.next_supply_needed_on == START + timedelta(
        days=30
    )
    assert s.may_be_last_supply and not s.covers_to_last_capsule
    later = supply([Pickup(START, 60, 20)], [], TWICE_40, START, projected_last=START + timedelta(days=40))
    assert not later.may_be_last_supply
    confirmed = supply([Pickup(START, 60, 20)], [], TWICE_40, START, last_capsule=START + timedelta(days=20))
    assert confirmed.covers_to_last_capsule and not confirmed.may_be_last_supply


def _day_by_day(stock, plan, today, stop, pauses, logged_today):
    """The plain walk the supply counts in steps: every day from today to stop, one at a time."""
    from backend.course.pauses import for_projection, pause_lookup
    from backend.course.plan import iter_plan_days

    assumed = pause_lookup(for_projection(pauses, today))
    for day, seg in iter_plan_days(plan, today, stop):
        if seg is None or assumed(day):
            continue
        mg = seg.mg_on(day)
        if mg <= 0:
            continue
        if day == today:
            mg = sum(m for s, m in enumerate(seg.slot_mg(day), start=1) if s not in logged_today)
        if stock + 1e-6 < mg:
            return day
        stock -= mg
    return None


def test_the_stepped_walk_finds_the_day_a_day_by_day_walk_finds():
    """Runs at one daily amount are counted in one step: for random plans (daily, per-dose, cycles with rest
    days, fractional mg), pauses (closed, open, empty), pick-ups, logged doses today and last capsules, the
    day the supply runs out is the day-by-day walk's, to the day."""
    import random

    from backend.record.supply import HORIZON_DAYS

    rng = random.Random(5)
    seen_runs_out = seen_cover = 0
    for _ in range(1500):
        start = START + timedelta(days=rng.randrange(-40, 40))
        plan, day = [], start
        for _ in range(rng.randrange(1, 5)):
            times = (time(8),) if rng.random() < 0.5 else (time(8), time(20))
            shape = rng.random()
            if shape < 0.45:
                plan.append(
                    Segment(day, len(times), times, daily_mg=rng.choice([0, 10, 20, 30, 40, 13.3, 60]))
                )
            elif shape < 0.8:
                cycle = tuple(rng.choice([0, 10, 20, 40, 6.7]) for _ in range(rng.randrange(1, 9)))
                plan.append(Segment(day, len(times), times, cycle_mg=cycle))
            else:
                plan.append(Segment(day, 2, (time(8), time(20)), daily_mg=50, dose_mg=(30, 20)))
            day += timedelta(days=rng.randrange(1, 90))
        pauses = []
        cursor = start
        for _ in range(rng.randrange(0, 3)):
            begin = cursor + timedelta(days=rng.randrange(0, 60))
            end = None if rng.random() < 0.2 else begin + timedelta(days=rng.randrange(0, 20))
            pauses.append(Pause(begin, end))
            if end is None:
                break
            cursor = end + timedelta(days=1)
        today = start + timedelta(days=rng.randrange(0, 120))
        pickups = [Pickup(start, rng.choice([10, 30, 60, 90, 300]), rng.choice([10, 20, 40]))]
        taken = [TakenDose(today, 1, 20)] if rng.random() < 0.3 else []
        last = today + timedelta(days=rng.randrange(0, 400)) if rng.random() < 0.3 else None
        made = supply(pickups, taken, tuple(plan), today, last_capsule=last, pauses=tuple(pauses))
        stop = (
            min(today + timedelta(days=HORIZON_DAYS), last) if last else today + timedelta(days=HORIZON_DAYS)
        )
        expected = _day_by_day(made.mg_left, tuple(plan), today, stop, pauses, {d.slot for d in taken})
        assert made.runs_out_on == expected, (plan, pauses, today, last, pickups, taken)
        seen_runs_out += expected is not None
        seen_cover += expected is None
    assert seen_runs_out > 300 and seen_cover > 100
