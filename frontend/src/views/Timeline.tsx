import { useEffect, useState } from 'preact/hooks';
import { api, type MilestoneAnswer } from '../api';
import { Disclaimer } from '../components/Disclaimer';
import { DoseChart } from '../components/DoseChart';
import { FactList, SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { formatDate, formatShortDate, formatTime } from '../lib/dates';
import { milestoneState, type MilestoneState } from '../lib/milestones';
import { PAUSED_TEXT } from '../lib/pauses';
import { course, courseToday, currentPause, refreshTimeline, timeline } from '../store';
import type { Appointment, Milestone, Phase } from '../types';

/** The levels of RED-13, in the same words as the check-in and Get help. */
const REPORT_LEVELS: Array<[level: string, heading: string]> = [
  ['emergency', 'Call your emergency number now'],
  ['urgent', 'Stop your capsules and call your prescriber now'],
  ['today', 'Contact your dermatology team today'],
];

const STATE_LABEL: Record<Exclude<MilestoneState, null>, string> = { done: 'Done', missed: 'Missed', not_done: 'Not done', unknown: 'Not known' };
const ANSWERS: { value: MilestoneAnswer; label: string }[] = [
  { value: 'done', label: 'It was done' },
  { value: 'not_done', label: 'Not done' },
  { value: 'unknown', label: 'I don’t know' },
];

/** A past visit or test shown as missed (or answered): the patient can say what happened. */
function AnswerButtons({ milestone }: { milestone: Milestone }) {
  const current = course.value;
  const [error, setError] = useState<string | null>(null);
  if (!current) return null;
  const answer = async (value: MilestoneAnswer) => {
    setError(null);
    try {
      await api.answerMilestone(current.id, milestone.kind, milestone.date, value);
      await refreshTimeline();
    } catch {
      setError('Saving this needs a connection; try again when you are online.');
    }
  };
  return (
    <div class="milestone-answer">
      <div class="button-row">
        {ANSWERS.map((a) => (
          <button key={a.value} type="button" class="button button-quiet" onClick={() => void answer(a.value)}>
            {a.label}
            <span class="visually-hidden"> — {milestone.title}, {formatDate(milestone.date)}</span>
          </button>
        ))}
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

interface ListProps {
  milestones: Milestone[];
  /** Past items get a done / missed badge when given. */
  today?: string;
  appointments?: Appointment[] | null;
  /** Descriptions already shown on the page (shared by several lists so each text appears once). */
  described?: Set<string>;
}

/**
 * Dated milestones. A description repeated by a later item of the same kind (every monthly test says the
 * same thing) is shown once, at its first appearance.
 */
export function MilestoneList({ milestones, today, appointments = null, described = new Set() }: ListProps) {
  return (
    <ol class="milestones">
      {milestones.map((m, index) => {
        const state = today ? milestoneState(m, today, appointments) : null;
        const repeat = described.has(m.description);
        described.add(m.description);
        return (
          <li key={`${m.kind}-${m.date}-${index}`} data-kind={m.kind} data-state={state ?? undefined}>
            <p class="milestone-date">
              <time dateTime={m.date}>
                {m.estimated ? 'About ' : ''}
                {formatDate(m.date)}
              </time>
              {m.estimated && <span class="badge">estimate</span>}
              {state && <span class={`badge badge-${state}`}>{STATE_LABEL[state]}</span>}
            </p>
            <p class="milestone-title">{m.title}</p>
            {m.booked && (
              <p class="milestone-booked">
                <span class="badge badge-done">booked</span> {formatTime(m.booked.starts_at.slice(11, 16))}
                {m.booked.place ? ` · ${m.booked.place}` : ''}
              </p>
            )}
            {state && state !== 'done' && m.appointment_kind && !m.booked && <AnswerButtons milestone={m} />}
            {m.description && !repeat && (
              <p class="muted">
                {m.description}
                <SourceIds facts={m.facts} />
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

function dateRange(phase: Phase): string {
  const about = phase.estimated ? 'about ' : '';
  if (phase.starts_on && phase.ends_on) return `${formatShortDate(phase.starts_on)} – ${about}${formatShortDate(phase.ends_on)}`;
  if (phase.starts_on) return `From ${about}${formatShortDate(phase.starts_on)}`;
  if (phase.ends_on) return `Until ${formatShortDate(phase.ends_on)}`;
  return phase.key === 'after' ? 'Once your prescriber stops your capsules' : '';
}

/** One phase; only the current one is open, the others show their title and dates until tapped. */
function PhaseItem({ phase }: { phase: Phase }) {
  const headingId = `phase-${phase.key}`;
  return (
    <li class={phase.current ? 'phase phase-current' : 'phase'} aria-current={phase.current ? 'step' : undefined} data-phase={phase.key}>
      <details open={phase.current} class="phase-details">
        <summary>
          <span class="eyebrow">
            {dateRange(phase)}
            {phase.current && <span class="badge badge-current">You are here</span>}
          </span>
          <h2 id={headingId} class="phase-title">
            {phase.title}
          </h2>
        </summary>
        <p>{phase.summary}</p>
        {phase.expectations.length > 0 && (
          <>
            <h3 class="phase-subheading">What is common now</h3>
            <FactList items={phase.expectations} />
          </>
        )}
        {phase.tips.length > 0 && (
          <details>
            <summary>Tips</summary>
            <FactList items={phase.tips} />
          </details>
        )}
        {phase.report_now.length > 0 && (
          <details>
            <summary>Report at once</summary>
            <FactList items={phase.report_now} class="fact-list report" />
            <p>
              <Link href="/help#red-flags">What to do and who to call</Link>
            </p>
          </details>
        )}
      </details>
    </li>
  );
}

/** Appointments for the done / missed badges; null until loaded (or offline), which shows no badge. */
function useAppointments(courseId: string | undefined): Appointment[] | null {
  const [appointments, setAppointments] = useState<Appointment[] | null>(null);
  useEffect(() => {
    if (!courseId) return;
    let live = true;
    api.appointments(courseId).then(
      (list) => live && setAppointments(list),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [courseId]);
  return appointments;
}

export function Timeline() {
  const saved = timeline.value;
  const current = course.value;
  const appointments = useAppointments(current?.id);
  // Appointments and doses change the dates: show the saved copy at once, then the server's.
  useEffect(() => {
    void refreshTimeline().catch(() => undefined);
  }, [current?.id]);

  if (!saved) {
    return (
      <div class="view">
        <h1 tabIndex={-1}>Your timeline</h1>
        <p class="muted" role="status">
          Loading your timeline… If you are offline, connect once so ClearCourse can save it on this device.
        </p>
      </div>
    );
  }
  const data = saved.data;
  const today = courseToday();
  const past = data.milestones.filter((m) => m.date < today);
  const upcoming = data.milestones.filter((m) => m.date >= today);
  const states = past.map((m) => milestoneState(m, today, appointments));
  const done = states.filter((s) => s === 'done').length;
  const described = new Set<string>();
  const missed = states.filter((s) => s === 'missed').length;
  // While the capsules are paused the current phase says so, never "keep going".
  const paused = currentPause.value !== null;
  const phases = paused ? data.phases.map((p) => (p.current ? { ...p, summary: PAUSED_TEXT.text } : p)) : data.phases;
  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Your timeline</h1>
        {data.target_reached ? (
          <p class="lede">You’ve reached the total you entered; your prescriber decides when you stop.</p>
        ) : (
          data.projected_last_dose_on && (
            <p class="lede">
              {data.last_dose_estimated === false
                ? `Last capsule: ${formatDate(data.projected_last_dose_on)}`
                : `Estimated last capsule: about ${formatDate(data.projected_last_dose_on)}${paused ? ' if you restart tomorrow' : ''}`}
            </p>
          )
        )}
      </header>

      <ol class="phases" aria-label="Phases of your course">
        {phases.map((phase) => (
          <PhaseItem key={phase.key} phase={phase} />
        ))}
      </ol>

      {current && <DoseChart course={current} today={today} lastDay={data.projected_last_dose_on} />}

      <section class="card" aria-labelledby="milestones-all">
        <h2 id="milestones-all">Milestones</h2>
        {upcoming.length > 0 ? <MilestoneList milestones={upcoming} today={today} appointments={appointments} described={described} /> : <p class="muted">Nothing dated ahead.</p>}
        {past.length > 0 && (
          <details class="past-milestones">
            <summary>
              Earlier: {past.length}
              {appointments || done ? ` (${done} done${missed ? `, ${missed} missed` : ''})` : ''}
            </summary>
            <MilestoneList milestones={past} today={today} appointments={appointments} described={described} />
          </details>
        )}
      </section>

      {data.while_on && data.while_on.length > 0 && (
        <section class="card" aria-labelledby="while-on-heading">
          <h2 id="while-on-heading">While you take isotretinoin</h2>
          <FactList items={data.while_on} />
        </section>
      )}

      <section class="card card-alert" id="report-now" tabIndex={-1} aria-labelledby="report-now-heading">
        <h2 id="report-now-heading">Report at once</h2>
        <p>
          Each sign says what to do: some need your emergency number now, most mean stopping your capsules and calling your prescriber now.{' '}
          <Link href="/help#red-flags">Get help: numbers to call</Link>
        </p>
        {REPORT_LEVELS.map(([level, heading]) => {
          const items = data.report_now.filter((item) => (item.level ?? 'urgent') === level);
          return items.length > 0 ? (
            <div key={level} class={`report-level report-${level}`}>
              <h3 class="phase-subheading">{heading}</h3>
              <FactList items={items} class="fact-list report" />
            </div>
          ) : null;
        })}
      </section>

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
