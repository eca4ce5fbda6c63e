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
import { formatMg, formatNumber } from '../lib/format';
import { t } from '../i18n';
import { plain } from '../i18n/catalog';
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
          <h3>{t('today.after.still_applies')}</h3>
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
        <h1 tabIndex={-1}>{t('today.headline.soon')}</h1>
        <p class="lede">{t('today.headline.soon.day1', { date: formatDate(course.value?.start_date) })}</p>
      </>
    );
  }
  if (data.status === 'finished') {
    return (
      <>
        <h1 tabIndex={-1}>{t('today.headline.finished')}</h1>
        <p class="lede">{formatDate(data.date)}</p>
      </>
    );
  }
  return (
    <>
      <h1 tabIndex={-1}>{t('today.headline.day', { day: data.day_of_course ?? '', week: data.week_of_course ?? '' })}</h1>
      <p class="lede">{formatDate(data.date)}</p>
    </>
  );
}

function Progress({ data, paused }: { data: TodayData; paused: boolean }) {
  const percent = data.target_percent === null ? null : Math.max(0, Math.min(100, data.target_percent));
  return (
    <section class="card" aria-labelledby="progress-heading">
      <h2 id="progress-heading">{t('today.progress.heading')}</h2>
      <dl class="stats">
        <div>
          <dt>{t('today.progress.taken')}</dt>
          <dd>{formatMg(data.cumulative_mg)}</dd>
        </div>
        <div>
          <dt>{t('today.progress.per_kg')}</dt>
          <dd>
            {t('today.progress.per_kg.value', { value: formatNumber(data.cumulative_mg_per_kg) })}
            {data.target_mg_per_kg !== null && t('today.progress.per_kg.of', { target: formatNumber(data.target_mg_per_kg) })}
            {data.mg_per_kg_weight && <span class="stat-note">{describeMgPerKgWeight(data.mg_per_kg_weight)}</span>}
          </dd>
        </div>
        {data.target_reached ? (
          <div>
            <dt>{t('today.progress.last')}</dt>
            <dd>{t('today.progress.last.prescriber')}</dd>
          </div>
        ) : (
          data.projected_last_dose_on && (
            <div>
              <dt>{t(data.last_dose_estimated === false ? 'today.progress.last' : 'today.progress.last.estimated')}</dt>
              <dd>
                {data.last_dose_estimated === false
                  ? formatDate(data.projected_last_dose_on)
                  : t('today.progress.last.about', { date: formatDate(data.projected_last_dose_on) })}
                {paused ? t('today.progress.last.if_restart') : data.days_remaining !== null && t('today.progress.last.to_go', { days: data.days_remaining })}
              </dd>
            </div>
          )
        )}
      </dl>
      {percent !== null ? (
        <div class="progress">
          <label for="target-progress">{t('today.progress.percent', { percent: formatNumber(data.target_percent ?? percent) })}</label>
          <progress id="target-progress" max={100} value={percent}>
            {formatNumber(percent)}%
          </progress>
        </div>
      ) : (
        <p class="muted">{t('today.progress.no_total')}</p>
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
      <p class="eyebrow">{t('today.phase.eyebrow')}</p>
      <h2 id="phase-heading">{phase.title}</h2>
      <div id="phase-more" class={open ? 'phase-text' : 'phase-text clamp-3'}>
        <p>{phase.summary}</p>
        {open && <FactList items={phase.expectations} />}
      </div>
      <button type="button" class="button button-quiet button-inline" aria-expanded={open} aria-controls="phase-more" onClick={() => setOpen(!open)}>
        {t(open ? 'today.phase.less' : 'today.phase.more')}
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
        <h1 tabIndex={-1}>{plain('shell.title.today')}</h1>
        <p class="muted" role="status">
          {t('today.loading')}
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
  const syncNote = pending > 0 ? t('today.sync_note', { count: pending }) : '';
  return (
    <div class="view">
      <header class="view-header">
        <Headline data={data} />
      </header>

      {data.after_course && <AfterCourseCard after={data.after_course} />}

      {pause && <PauseCard pause={pause} syncNote={syncNote} />}

      {!pause && !(data.after_course && doses.length === 0) && (
        <section class="card" aria-labelledby="doses-heading">
          <h2 id="doses-heading">{t('today.doses.heading')}</h2>
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
            <p class="muted">{t('today.doses.none')}</p>
          )}
          <p class="sync-count" aria-live="polite">
            {syncNote}
          </p>
          {missingTotal > 0 && (
            <p class="missing-line">
              {t('today.doses.missing', { count: missingTotal })} <Link href="/#fill-in">{t('today.doses.fill_in')}</Link>
            </p>
          )}
          {data.dose_guidance.length > 0 && (
            <details class="guidance-more">
              <summary>{t('today.doses.how')}</summary>
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
          <h2 id="milestones-heading">{t('today.coming_up')}</h2>
          <MilestoneList milestones={data.next_milestones.slice(0, COMING_UP_SHOWN)} />
          <p class="link-line">
            <Link href="/timeline">{t('today.timeline_link')}</Link>
          </p>
        </section>
      )}

      {data.while_on && data.while_on.length > 0 && data.status !== 'finished' && (
        <section class="card" aria-labelledby="while-on-heading" id="while-on">
          <h2 id="while-on-heading">{t('today.while_on')}</h2>
          <FactList items={data.while_on} />
        </section>
      )}

      <section class="card card-alert" aria-labelledby="report-heading">
        <h2 id="report-heading">{t('today.worrying.heading')}</h2>
        <ul class="link-list">
          <li>
            <Link href="/help#emergency">{t('today.worrying.emergency')}</Link>
          </li>
          <li>
            <Link href="/help#red-flags">{t('today.worrying.red_flags')}</Link>
          </li>
        </ul>
        {data.phase && data.phase.report_now.length > 0 && (
          <p class="muted">{t('today.worrying.signs', { count: data.phase.report_now.length })}</p>
        )}
      </section>

      {missingTotal > 0 && <FillIn course={current} data={data} missingFallback={missing} />}

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
