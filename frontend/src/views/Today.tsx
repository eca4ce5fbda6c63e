import { Disclaimer } from '../components/Disclaimer';
import { DoseSlot } from '../components/DoseSlot';
import { FactList } from '../components/Facts';
import { Link } from '../components/Link';
import { formatDate, formatShortDate, formatTime } from '../lib/dates';
import { overlayToday } from '../lib/doses';
import { formatMg, formatNumber, plural } from '../lib/format';
import { slotTime } from '../lib/plan';
import { currentSearch } from '../router';
import { course, logDose, outboxRecords, pendingCount, today, undoDose } from '../store';
import type { MissingLog, Today as TodayData } from '../types';
import { MilestoneList } from './Timeline';

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
        <p class="lede">{course.value?.ended_on ? `Last capsule logged on ${formatDate(course.value.ended_on)}.` : formatDate(data.date)}</p>
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

function Progress({ data }: { data: TodayData }) {
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
          </dd>
        </div>
        {data.projected_last_dose_on && (
          <div>
            <dt>Projected last capsule</dt>
            <dd>
              {formatDate(data.projected_last_dose_on)}
              {data.days_remaining !== null && ` (${plural(data.days_remaining, 'day')} to go)`}
            </dd>
          </div>
        )}
      </dl>
      {percent !== null ? (
        <div class="progress">
          <label for="target-progress">{formatNumber(percent)}% of your cumulative target</label>
          <progress id="target-progress" max={100} value={percent}>
            {formatNumber(percent)}%
          </progress>
        </div>
      ) : (
        <p class="muted">No cumulative target set for this course.</p>
      )}
    </section>
  );
}

function MissingLogs({ missing, total }: { missing: MissingLog[]; total: number }) {
  if (!missing.length) return null;
  return (
    <section class="card card-attention" aria-labelledby="missing-heading">
      <h2 id="missing-heading">Earlier doses not logged</h2>
      <p>
        {plural(total, 'earlier dose')} {total === 1 ? 'has' : 'have'} no entry yet. Logging them keeps your
        progress accurate.
      </p>
      <details class="missing">
        <summary>Fill them in</summary>
        <ul class="missing-list">
          {missing.map((item) => {
            const time = slotTime(course.value, item.date, item.slot);
            const label = `${formatShortDate(item.date)}, dose ${item.slot}${time ? ` at ${formatTime(time)}` : ''}, ${formatMg(item.mg)}`;
            return (
              <li key={`${item.date}-${item.slot}`}>
                <span>{label}</span>
                <span class="dose-actions">
                  <button type="button" class="button button-small" onClick={() => logDose(item.date, item.slot, item.mg, 'taken', time)}>
                    Taken<span class="visually-hidden"> — {label}</span>
                  </button>
                  <button
                    type="button"
                    class="button button-small button-secondary"
                    onClick={() => logDose(item.date, item.slot, item.mg, 'skipped', time)}
                  >
                    Skipped<span class="visually-hidden"> — {label}</span>
                  </button>
                </span>
              </li>
            );
          })}
        </ul>
      </details>
    </section>
  );
}

export function Today() {
  const saved = today.value;
  const current = course.value;
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
  const { doses, missing } = overlayToday(data, outboxRecords.value, current.id);
  const pending = pendingCount.value;
  // A capsule reminder opens "/?dose=DATE:SLOT".
  const fromReminder = new URLSearchParams(currentSearch.value).get('dose');
  return (
    <div class="view">
      <header class="view-header">
        <Headline data={data} />
      </header>


      <section class="card" aria-labelledby="doses-heading">
        <h2 id="doses-heading">Today’s capsules</h2>
        {doses.length ? (
          <ul class="doses">
            {doses.map((dose) => (
              <DoseSlot
                key={dose.slot}
                dose={dose}
                withFood={data.with_food}
                onLog={(status) => logDose(data.date, dose.slot, dose.mg, status, dose.time)}
                onUndo={(doseId) => undoDose(data.date, dose.slot, doseId)}
                highlight={fromReminder === `${data.date}:${dose.slot}`}
              />
            ))}
          </ul>
        ) : (
          <p class="muted">No capsules planned today.</p>
        )}
        <p class="sync-count" aria-live="polite">
          {pending > 0 ? `${plural(pending, 'change')} waiting to sync` : ''}
        </p>
        <FactList items={data.dose_guidance} class="fact-list guidance" />
      </section>

      {data.phase && (
        <section class="card" aria-labelledby="phase-heading">
          <p class="eyebrow">This phase</p>
          <h2 id="phase-heading">{data.phase.title}</h2>
          <p>{data.phase.summary}</p>
          <FactList items={data.phase.expectations} />
        </section>
      )}

      <MissingLogs missing={missing} total={Math.max(missing.length, data.missing_logs_count - (data.missing_logs.length - missing.length))} />

      <Progress data={data} />

      {data.next_milestones.length > 0 && (
        <section class="card" aria-labelledby="milestones-heading">
          <h2 id="milestones-heading">Coming up</h2>
          <MilestoneList milestones={data.next_milestones} />
        </section>
      )}

      <section class="card card-alert" aria-labelledby="report-heading">
        <h2 id="report-heading">Something worrying?</h2>
        <p>
          <Link href="/timeline#report-now">See what to report to your prescriber at once</Link>
        </p>
        {data.phase && data.phase.report_now.length > 0 && (
          <p class="muted">
            {plural(data.phase.report_now.length, 'sign')} to watch for in this phase.
          </p>
        )}
      </section>

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
