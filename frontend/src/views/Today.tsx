import { useEffect, useState } from 'preact/hooks';
import { TargetReachedCard } from '../components/CourseEnd';
import { Disclaimer } from '../components/Disclaimer';
import { FillIn } from '../components/FillIn';
import { PauseCard } from '../components/PauseCard';
import { DoseSlot } from '../components/DoseSlot';
import { FactList, SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { ReminderNudge } from '../components/ReminderNudge';
import { formatDate, localDateTime } from '../lib/dates';
import { overlayToday } from '../lib/doses';
import { pauseOn } from '../lib/pauses';
import { formatMg, formatNumber, plural } from '../lib/format';
import { describeMgPerKgWeight } from '../lib/plan';
import { currentSearch } from '../router';
import { correctDoseTime, course, logDose, outboxRecords, pauses, pendingCount, today, undoDose } from '../store';
import type { AfterCourse, Phase, Today as TodayData } from '../types';
import { MilestoneList } from './Timeline';

/** "{date}" in a server text, written out as this phone writes dates. */
const withDate = (text: string, date: string) => text.replace('{date}', formatDate(date));

/** After the last capsule: that day first, then each precaution with the day it ends (AFTER-1/2/7/9). */
function AfterCourseCard({ after }: { after: AfterCourse }) {
  return (
    <section class="card" aria-labelledby="after-course-heading" id="after-course">
      <h2 id="after-course-heading">{withDate(after.last_capsule.text, after.last_capsule.date)}</h2>
      <p>
        {after.summary.text}
        <SourceIds facts={after.summary.facts} />
      </p>
      {after.still_applies.length > 0 && (
        <>
          <h3>Still applies until …</h3>
          <ul class="fact-list">
            {after.still_applies.map((item) => (
              <li key={item.key}>
                {withDate(item.text, item.date)}
                <SourceIds facts={item.facts} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Headline({ data }: { data: TodayData }) {
  if (data.status === 'not_started') {
    return (
      <>
        <h1 tabIndex={-1}>Your course starts soon</h1>
        <p class="lede">Day 1 is {formatDate(course.value?.start_date)}.</p>
      </>
    );
  }
  if (data.status === 'finished') {
    return (
      <>
        <h1 tabIndex={-1}>Course finished</h1>
        <p class="lede">{formatDate(data.date)}</p>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>
        Day {data.day_of_course} · week {data.week_of_course}
      </h1>
      <p class="lede">{formatDate(data.date)}</p>
    </>
  );
}

function Progress({ data, paused }: { data: TodayData; paused: boolean }) {
  const percent = data.target_percent === null ? null : Math.max(0, Math.min(100, data.target_percent));
  return (
    <section class="card" aria-labelledby="progress-heading">
      <h2 id="progress-heading">Progress</h2>
      <dl class="stats">
        <div>
          <dt>Taken so far</dt>
          <dd>{formatMg(data.cumulative_mg)}</dd>
        </div>
        <div>
          <dt>Per kg of body weight</dt>
          <dd>
            {formatNumber(data.cumulative_mg_per_kg)} mg/kg
            {data.target_mg_per_kg !== null && ` of ${formatNumber(data.target_mg_per_kg)}`}
            {data.mg_per_kg_weight && <span class="stat-note">{describeMgPerKgWeight(data.mg_per_kg_weight)}</span>}
          </dd>
        </div>
        {data.target_reached ? (
          <div>
            <dt>Last capsule</dt>
            <dd>When your prescriber stops them</dd>
          </div>
        ) : (
          data.projected_last_dose_on && (
            <div>
              <dt>{data.last_dose_estimated === false ? 'Last capsule' : 'Estimated last capsule'}</dt>
              <dd>
                {data.last_dose_estimated === false ? '' : 'about '}
                {formatDate(data.projected_last_dose_on)}
                {paused ? ' if you restart tomorrow' : data.days_remaining !== null && ` (${plural(data.days_remaining, 'day')} to go)`}
              </dd>
            </div>
          )
        )}
      </dl>
      {percent !== null ? (
        <div class="progress">
          <label for="target-progress">{formatNumber(data.target_percent ?? percent)}% of the total you entered</label>
          <progress id="target-progress" max={100} value={percent}>
            {formatNumber(percent)}%
          </progress>
        </div>
      ) : (
        <p class="muted">No cumulative total entered for this course.</p>
      )}
      {data.target_note && (
        <p class="hint target-note">
          {data.target_note.text}
          <SourceIds facts={data.target_note.facts} />
        </p>
      )}
    </section>
  );
}

/** The phase in three lines; "More about this phase" opens what is common now. */
function PhaseCard({ phase }: { phase: Phase }) {
  const [open, setOpen] = useState(false);
  return (
    <section class="card" aria-labelledby="phase-heading">
      <p class="eyebrow">This phase</p>
      <h2 id="phase-heading">{phase.title}</h2>
      <div id="phase-more" class={open ? 'phase-text' : 'phase-text clamp-3'}>
        <p>{phase.summary}</p>
        {open && <FactList items={phase.expectations} />}
      </div>
      <button type="button" class="button button-quiet button-inline" aria-expanded={open} aria-controls="phase-more" onClick={() => setOpen(!open)}>
        {open ? 'Less' : 'More about this phase'}
      </button>
    </section>
  );
}

const COMING_UP_SHOWN = 3;

/** Minutes since a slot's "HH:MM" in the course's zone, re-read every minute; null when the day is not today. */
function useMinutesLate(date: string, zone: string): (time: string) => number | null {
  const [now, setNow] = useState(() => localDateTime(zone));
  useEffect(() => {
    const timer = setInterval(() => setNow(localDateTime(zone)), 60_000);
    return () => clearInterval(timer);
  }, [zone]);
  if (now.slice(0, 10) !== date) return () => null;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return (time) => minutes(now.slice(11, 16)) - minutes(time);
}

export function Today() {
  const saved = today.value;
  const current = course.value;
  const minutesLate = useMinutesLate(saved?.data.date ?? '', current?.timezone ?? '');
  if (!saved || !current) {
    return (
      <div class="view">
        <h1 tabIndex={-1}>Today</h1>
        <p class="muted" role="status">
          Loading your course… If you are offline, connect once so ClearCourse can save it on this device.
        </p>
      </div>
    );
  }
  const data = saved.data;
  // The device's pauses (pending starts and restarts included) decide, so a pause shows offline at once.
  const pause = data.status === 'active' ? pauseOn(pauses.value, data.date) : null;
  const overlaid = overlayToday(data, outboxRecords.value, current.id);
  const missing = overlaid.missing;
  // Restarted on this device before the server knew: its "paused" slots are to take again.
  const doses = overlaid.doses.map((dose) => (dose.status === 'paused' ? { ...dose, status: 'pending' as const } : dose));
  const pending = pendingCount.value;
  const missingTotal = Math.max(missing.length, data.missing_logs_count - (data.missing_logs.length - missing.length));
  // A capsule reminder opens "/?dose=DATE:SLOT".
  const fromReminder = new URLSearchParams(currentSearch.value).get('dose');
  const syncNote = pending > 0 ? `${plural(pending, 'change')} waiting to sync` : '';
  return (
    <div class="view">
      <header class="view-header">
        <Headline data={data} />
      </header>

      {data.after_course && <AfterCourseCard after={data.after_course} />}

      {pause && <PauseCard pause={pause} syncNote={syncNote} />}

      {!pause && !(data.after_course && doses.length === 0) && (
        <section class="card" aria-labelledby="doses-heading">
          <h2 id="doses-heading">Today’s capsules</h2>
          {doses.length ? (
            <ul class="doses">
              {doses.map((dose) => (
                <DoseSlot
                  key={dose.slot}
                  dose={dose}
                  withFood={data.with_food}
                  minutesLate={minutesLate(dose.time)}
                  onLog={(status, at) => logDose(data.date, dose.slot, dose.mg, status, dose.time, at)}
                  onUndo={(doseId) => undoDose(data.date, dose.slot, doseId)}
                  onCorrect={(doseId, at) => correctDoseTime(data.date, dose.slot, doseId, at)}
                  highlight={fromReminder === `${data.date}:${dose.slot}`}
                />
              ))}
            </ul>
          ) : (
            <p class="muted">No capsules planned today.</p>
          )}
          <p class="sync-count" aria-live="polite">
            {syncNote}
          </p>
          {missingTotal > 0 && (
            <p class="missing-line">
              {plural(missingTotal, 'earlier dose')} not logged yet. <Link href="/#fill-in">Fill them in</Link>
            </p>
          )}
          {data.dose_guidance.length > 0 && (
            <details class="guidance-more">
              <summary>How to take them</summary>
              <FactList items={data.dose_guidance} class="fact-list guidance" />
            </details>
          )}
        </section>
      )}

      <ReminderNudge />

      {data.target_reached && data.status === 'active' && !pause && <TargetReachedCard reached={data.target_reached} current={current} />}

      {data.phase && !pause && <PhaseCard phase={data.phase} />}

      <Progress data={data} paused={pause !== null} />

      {data.next_milestones.length > 0 && (
        <section class="card" aria-labelledby="milestones-heading">
          <h2 id="milestones-heading">Coming up</h2>
          <MilestoneList milestones={data.next_milestones.slice(0, COMING_UP_SHOWN)} />
          <p class="link-line">
            <Link href="/timeline">Your whole timeline</Link>
          </p>
        </section>
      )}

      {data.while_on && data.while_on.length > 0 && data.status !== 'finished' && (
        <section class="card" aria-labelledby="while-on-heading" id="while-on">
          <h2 id="while-on-heading">While you take isotretinoin</h2>
          <FactList items={data.while_on} />
        </section>
      )}

      <section class="card card-alert" aria-labelledby="report-heading">
        <h2 id="report-heading">Something worrying?</h2>
        <ul class="link-list">
          <li>
            <Link href="/help#emergency">Emergencies: when to call your emergency number now</Link>
          </li>
          <li>
            <Link href="/help#red-flags">Signs to stop your capsules and call your prescriber now</Link>
          </li>
        </ul>
        {data.phase && data.phase.report_now.length > 0 && (
          <p class="muted">
            {plural(data.phase.report_now.length, 'sign')} to watch for in this phase.
          </p>
        )}
      </section>

      {missingTotal > 0 && <FillIn course={current} data={data} missingFallback={missing} />}

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
