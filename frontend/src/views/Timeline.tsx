import { Disclaimer } from '../components/Disclaimer';
import { FactList, SourceIds } from '../components/Facts';
import { formatDate, formatShortDate } from '../lib/dates';
import { timeline } from '../store';
import type { Milestone, Phase } from '../types';

export function MilestoneList({ milestones }: { milestones: Milestone[] }) {
  return (
    <ol class="milestones">
      {milestones.map((m, index) => (
        <li key={`${m.kind}-${m.date}-${index}`}>
          <p class="milestone-date">
            <time dateTime={m.date}>{formatDate(m.date)}</time>
            {m.estimated && <span class="badge">estimated</span>}
          </p>
          <p class="milestone-title">{m.title}</p>
          {m.description && (
            <p class="muted">
              {m.description}
              <SourceIds facts={m.facts} />
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}

function dateRange(phase: Phase): string {
  if (phase.starts_on && phase.ends_on) return `${formatShortDate(phase.starts_on)} – ${formatShortDate(phase.ends_on)}`;
  if (phase.starts_on) return `From ${formatShortDate(phase.starts_on)}`;
  if (phase.ends_on) return `Until ${formatShortDate(phase.ends_on)}`;
  return '';
}

function PhaseItem({ phase }: { phase: Phase }) {
  const headingId = `phase-${phase.key}`;
  return (
    <li class={phase.current ? 'phase phase-current' : 'phase'} aria-current={phase.current ? 'step' : undefined} data-phase={phase.key}>
      <article aria-labelledby={headingId}>
        <p class="eyebrow">
          {dateRange(phase)}
          {phase.current && <span class="badge badge-current">You are here</span>}
        </p>
        <h2 id={headingId}>{phase.title}</h2>
        <p>{phase.summary}</p>
        {phase.expectations.length > 0 && (
          <details open={phase.current}>
            <summary>What is common now</summary>
            <FactList items={phase.expectations} />
          </details>
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
          </details>
        )}
      </article>
    </li>
  );
}

export function Timeline() {
  const saved = timeline.value;
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
  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Your timeline</h1>
        {data.projected_last_dose_on && <p class="lede">Projected last capsule: {formatDate(data.projected_last_dose_on)}</p>}
      </header>

      <ol class="phases" aria-label="Phases of your course">
        {data.phases.map((phase) => (
          <PhaseItem key={phase.key} phase={phase} />
        ))}
      </ol>

      <section class="card" aria-labelledby="milestones-all">
        <h2 id="milestones-all">Milestones</h2>
        <MilestoneList milestones={data.milestones} />
      </section>

      <section class="card card-alert" id="report-now" tabIndex={-1} aria-labelledby="report-now-heading">
        <h2 id="report-now-heading">Report at once</h2>
        <p>Tell your prescriber at once if you notice any of these:</p>
        <FactList items={data.report_now} class="fact-list report" />
      </section>

      <Disclaimer text={data.disclaimer} />
    </div>
  );
}
