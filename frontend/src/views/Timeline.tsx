import { useEffect, useState } from 'preact/hooks';
import { api, type MilestoneAnswer } from '../api';
import { Disclaimer } from '../components/Disclaimer';
import { DoseChart } from '../components/DoseChart';
import { FactList, SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { formatTime } from '../lib/dates';
import { language, sayDay, t } from '../i18n';
import { milestoneState } from '../lib/milestones';
import { PAUSED_TEXT } from '../lib/pauseTexts';
import { course, courseToday, currentPause, refreshTimeline, timeline } from '../store';
import type { Appointment, Milestone, Phase } from '../types';

/** The levels of RED-13 (headings `timeline.level.<level>`), in the same words as the check-in and Get help. */
const REPORT_LEVELS = ['emergency', 'urgent', 'today'];
const ANSWERS: MilestoneAnswer[] = ['done', 'not_done', 'unknown'];

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
      setError(t('timeline.answer.offline'));
    }
  };
  return (
    <div class="milestone-answer">
      <div class="button-row">
        {ANSWERS.map((value) => (
          <button key={value} type="button" class="button button-quiet" onClick={() => void answer(value)}>
            {t(`timeline.answer.${value}`)}
            <span class="visually-hidden">{t('timeline.answer.which', { title: milestone.title, day: sayDay(milestone.date) })}</span>
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
                {m.estimated ? t('timeline.milestone.about', { day: sayDay(m.date) }) : sayDay(m.date)}
              </time>
              {m.estimated && <span class="badge">{t('timeline.milestone.estimate')}</span>}
              {state && <span class={`badge badge-${state}`}>{t(`timeline.milestone.${state}`)}</span>}
            </p>
            <p class="milestone-title">{m.title}</p>
            {m.booked && (
              <p class="milestone-booked">
                <span class="badge badge-done">{t('timeline.milestone.booked')}</span> {formatTime(m.booked.starts_at.slice(11, 16))}
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
  const about = phase.estimated ? '_about' : '';
  const from = phase.starts_on && sayDay(phase.starts_on, 'short');
  const to = phase.ends_on && sayDay(phase.ends_on, 'short');
  if (from && to) return t(`timeline.phase.from_to${about}`, { from, to });
  if (from) return t(`timeline.phase.from${about}`, { from });
  if (to) return t('timeline.phase.until', { to });
  return phase.key === 'after' ? t('timeline.phase.after') : '';
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
            {phase.current && <span class="badge badge-current">{t('timeline.phase.here')}</span>}
          </span>
          <h2 id={headingId} class="phase-title">
            {phase.title}
          </h2>
        </summary>
        <p>{phase.summary}</p>
        {phase.expectations.length > 0 && (
          <>
            <h3 class="phase-subheading">{t('timeline.phase.common')}</h3>
            <FactList items={phase.expectations} />
          </>
        )}
        {phase.tips.length > 0 && (
          <details>
            <summary>{t('timeline.phase.tips')}</summary>
            <FactList items={phase.tips} />
          </details>
        )}
        {phase.report_now.length > 0 && (
          <details>
            <summary>{t('timeline.report_now')}</summary>
            <FactList items={phase.report_now} class="fact-list report" />
            <p>
              <Link href="/help#red-flags">{t('timeline.phase.what_to_do')}</Link>
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
      <div class="view" lang={language.value}>
        <h1 tabIndex={-1}>{t('timeline.title')}</h1>
        <p class="muted" role="status">
          {t('timeline.loading')}
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
    <div class="view" lang={language.value}>
      <header class="view-header">
        <h1 tabIndex={-1}>{t('timeline.title')}</h1>
        {data.target_reached ? (
          <p class="lede">{t('timeline.target_reached')}</p>
        ) : (
          data.projected_last_dose_on && (
            <p class="lede">
              {t(data.last_dose_estimated === false ? 'timeline.last' : paused ? 'timeline.last.estimated_paused' : 'timeline.last.estimated', {
                day: sayDay(data.projected_last_dose_on),
              })}
            </p>
          )
        )}
      </header>

      <ol class="phases" aria-label={t('timeline.phases')}>
        {phases.map((phase) => (
          <PhaseItem key={phase.key} phase={phase} />
        ))}
      </ol>

      {current && <DoseChart course={current} today={today} lastDay={data.projected_last_dose_on} />}

      <section class="card" aria-labelledby="milestones-all">
        <h2 id="milestones-all">{t('timeline.milestones')}</h2>
        {upcoming.length > 0 ? <MilestoneList milestones={upcoming} today={today} appointments={appointments} described={described} /> : <p class="muted">{t('timeline.milestones.none_ahead')}</p>}
        {past.length > 0 && (
          <details class="past-milestones">
            <summary>
              {t('timeline.milestones.earlier', { count: past.length })}
              {appointments || done ? t(missed ? 'timeline.milestones.earlier.done_missed' : 'timeline.milestones.earlier.done', { done, missed }) : ''}
            </summary>
            <MilestoneList milestones={past} today={today} appointments={appointments} described={described} />
          </details>
        )}
      </section>

      {data.while_on && data.while_on.length > 0 && (
        <section class="card" aria-labelledby="while-on-heading">
          <h2 id="while-on-heading">{t('timeline.while_on')}</h2>
          <FactList items={data.while_on} />
        </section>
      )}

      <section class="card card-alert" id="report-now" tabIndex={-1} aria-labelledby="report-now-heading">
        <h2 id="report-now-heading">{t('timeline.report_now')}</h2>
        <p>
          {t('timeline.report_now.intro')} <Link href="/help#red-flags">{t('timeline.report_now.help')}</Link>
        </p>
        {REPORT_LEVELS.map((level) => {
          const items = data.report_now.filter((item) => (item.level ?? 'urgent') === level);
          return items.length > 0 ? (
            <div key={level} class={`report-level report-${level}`}>
              <h3 class="phase-subheading">{t(`timeline.level.${level}`)}</h3>
              <FactList items={items} class="fact-list report" />
            </div>
          ) : null;
        })}
      </section>

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
