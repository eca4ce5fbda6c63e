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
