import './report.css';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../components/Link';
import { SourceIds } from '../components/Facts';
import { formatDate, formatTime } from '../lib/dates';
import { recordApi, reportPdf } from '../lib/record';
import { fileProblem, saveFile } from '../lib/files';
import { t } from '../i18n';
import { course } from '../store';

type ReportData = Record<string, any>;

type Cell = string | number;

/**
 * A table that reads at 320 px: below 480 px each row becomes a block whose cells carry their column's
 * heading (data-label), so nothing scrolls sideways; printed, it is an ordinary table.
 */
function Table({ caption, head, rows }: { caption: string; head: string[]; rows: Cell[][] }) {
  if (!rows.length) return <p class="muted">{caption}: none recorded.</p>;
  return (
    <table class="report-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th scope="col" key={h}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((cell, j) =>
              j === 0 ? (
                <th scope="row" key={j} data-label={head[0]}>
                  {cell}
                </th>
              ) : (
                <td key={j} data-label={head[j]}>
                  {cell}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Label → value pairs (the course, the dose) as a definition list: it wraps on any width. */
function Pairs({ label, pairs }: { label: string; pairs: [string, Cell][] }) {
  return (
    <dl class="report-pairs" aria-label={label}>
      {pairs.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

// Every decimal the server sent (e.g. 0.57 mg/kg/day), as the PDF prints it, with the locale's separators.
const exact = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const num = (value: number | null | undefined, unit = '') => (value === null || value === undefined ? '–' : `${exact.format(value)}${unit}`);
const ORDINALS: Record<number, string> = { 1: '1st', 2: '2nd', 3: '3rd' };
const ISO_DAY = /\b(\d{4}-\d{2}-\d{2})\b/g;

/** The report's content, in the same order and words as the PDF: safety first. */
function ReportPage({ data }: { data: ReportData }) {
  const { safety, course: c, dose, adherence, checkins, mood } = data;
  const pauses: any[] = data.pauses ?? [];
  const quiet = !safety.red_flags.length && !safety.self_harm_yes.length;
  return (
    <article class="card report-page" aria-labelledby="report-title">
      <h2 id="report-title">{data.title}</h2>
      <dl class="write-in">
        {data.patient_lines.map((line: string) => (
          <div key={line}>
            <dt>{line}:</dt>
            <dd>
              <span class="visually-hidden">left blank, to write in by hand</span>
            </dd>
          </div>
        ))}
      </dl>
      <p class="hint no-print">{data.patient_lines_note}</p>
      <p class="report-period">
        Period: {formatDate(data.from)} to {formatDate(data.to)}
      </p>
      <p class="muted">
        Written on {formatDate(data.generated_on)}. {data.disclaimer}
        <SourceIds facts={['PRODUCT-1']} />
      </p>

      <section aria-labelledby="report-safety">
        <h3 id="report-safety">Safety summary</h3>
        {quiet && <p>{safety.none_note}</p>}
        {safety.red_flags.length > 0 && (
          <Table caption="Red flags the patient reported" head={['Date', 'What the patient ticked']} rows={safety.red_flags.map((f: any) => [formatDate(f.date), f.label])} />
        )}
        {safety.self_harm_yes.length > 0 && (
          <Table caption="“Yes” to thoughts of self-harm (weekly mood check)" head={['Week of', 'Answer']} rows={safety.self_harm_yes.map((w: any) => [formatDate(w.week_of), 'Yes'])} />
        )}
        <Table
          caption="Pauses in taking the capsules"
          head={['Stopped on', 'Restarted on', 'Why', 'Days in this period']}
          rows={pauses.map((p) => [formatDate(p.started_on), p.resumed_on ? formatDate(p.resumed_on) : 'not yet', p.reason_label ?? p.reason ?? '', p.days ?? '–'])}
        />
        {safety.pregnancy_tests !== null && (
          <>
            <Table caption="Pregnancy tests (pregnancy prevention applies)" head={['Date', 'Where']} rows={safety.pregnancy_tests.map((t: any) => [formatDate(t.date), t.place ?? '–'])} />
            <p class="hint">{safety.pregnancy_tests_note}</p>
          </>
        )}
      </section>

      <section aria-labelledby="report-course">
        <h3 id="report-course">Course</h3>
        <Pairs
          label="Course"
          pairs={[
            ['Capsules', c.product_label],
            ['Rule set', `${c.rule_set_title}${c.rule_set_status ? ` — ${c.rule_set_status.verify ? 'Verify: ' : ''}${c.rule_set_status.text}` : ''}`],
            ['Plan as prescribed', c.plan.map((line: string) => line.replace(ISO_DAY, (d) => formatDate(d))).join('; ')],
            ['First capsule', formatDate(c.start_date)],
            ['Last capsule', c.ended_on ? formatDate(c.ended_on) : 'not recorded (still taking)'],
            ['Cumulative target (mg/kg)', c.target_mg_per_kg === null ? 'none set' : num(c.target_mg_per_kg)],
            ['Pregnancy prevention', c.pregnancy_prevention ? 'applies' : 'does not apply'],
          ]}
        />
        <Table
          caption="Weights"
          head={['Date recorded', 'Weight (kg)', 'Note']}
          rows={data.weights.map((w: any, i: number) => [formatDate(w.recorded_on), num(w.weight_kg), i === 0 ? 'start' : w.rebased ? 'plan re-based on it' : ''])}
        />
      </section>

      <section aria-labelledby="report-dose">
        <h3 id="report-dose">Cumulative dose</h3>
        <p class="hint">
          {dose.cumulative_note} {dose.mg_per_kg_note}
        </p>
        {dose.micronised_note && <p class="notice">{dose.micronised_note}</p>}
        <Pairs
          label="Cumulative dose"
          pairs={[
            ['Total taken (mg)', num(dose.cumulative_mg)],
            [`By the start weight, ${num(dose.start_weight_kg)} kg (mg/kg)`, num(dose.mg_per_kg_by_start_weight)],
            ...(dose.latest_weight_kg !== null ? [[`By the latest weight, ${num(dose.latest_weight_kg)} kg (mg/kg)`, num(dose.mg_per_kg_by_latest_weight)] as [string, Cell]] : []),
            ...(dose.target_mg !== null
              ? ([
                  [`Target by ${dose.counted_by.basis === 'start' ? 'the start weight' : 'the re-based weight'}, ${num(dose.counted_by.weight_kg)} kg (mg)`, num(dose.target_mg)],
                  ['Share of the target reached (%)', num(dose.target_percent)],
                ] as [string, Cell][])
              : []),
            ['Current plan (mg/day)', num(dose.current_mg_per_day)],
            ['Current plan by the latest weight (mg/kg/day)', num(dose.current_mg_per_kg_per_day)],
          ]}
        />
      </section>

      <section aria-labelledby="report-adherence">
        <h3 id="report-adherence">Adherence (planned doses in the period)</h3>
        <Pairs
          label="Adherence"
          pairs={[
            ['Planned doses', adherence.planned_doses],
            ['Taken', adherence.taken_doses],
            ['Skipped', adherence.skipped_doses],
            ['Paused', adherence.paused_doses ?? 0],
            ['Not logged', adherence.not_logged_doses],
            ['Taken (%)', num(adherence.percent_taken)],
          ]}
        />
        <p class="hint">{adherence.note}</p>
        <Table
          caption="Days with doses not logged"
          head={['From', 'To', 'Days', 'Doses not logged']}
          rows={adherence.not_logged_ranges.map((r: any) => [formatDate(r.from), formatDate(r.to), r.days, r.doses])}
        />
        <Table
          caption="Doses the patient marked skipped"
          head={['Date', 'Dose of the day']}
          rows={adherence.skipped_days.map((d: any) => [formatDate(d.date), d.slots.map((s: number) => ORDINALS[s] ?? String(s)).join(', ')])}
        />
      </section>

      <section aria-labelledby="report-checkins">
        <h3 id="report-checkins">Daily check-ins ({checkins.checkin_days === 1 ? '1 day' : `${checkins.checkin_days} days`})</h3>
        <p class="hint">
          {checkins.note}
          <SourceIds facts={['EXP-8']} />
        </p>
        <Pairs
          label="Skin, 0 (clear) to 10 (worst)"
          pairs={[
            ['Skin: days answered', checkins.skin.days_answered],
            ['Skin: first / last', `${num(checkins.skin.first)} / ${num(checkins.skin.last)}`],
            ['Skin: lowest / highest', `${num(checkins.skin.lowest)} / ${num(checkins.skin.highest)}`],
            ['Skin: average (0–10)', num(checkins.skin.average)],
          ]}
        />
        <Table
          caption="Effects reported"
          head={['Effect', 'Days answered', 'Days reported (mild or more)', 'Days strong', 'Strongest']}
          rows={checkins.effects.filter((e: any) => e.days_reported).map((e: any) => [e.label, e.days_answered, e.days_reported, e.days_strong, e.strongest ?? '–'])}
        />
      </section>

      <section aria-labelledby="report-mood">
        <h3 id="report-mood">Weekly mood check</h3>
        <p class="hint">{mood.note}</p>
        <Table
          caption="Weekly mood answers"
          head={['Week of', mood.headings.interest, mood.headings.low_mood, mood.headings.self_harm_thoughts, mood.headings.sexual_function]}
          rows={mood.weeks.map((m: any) => [formatDate(m.week_of), m.interest_label, m.low_mood_label, m.self_harm_label, m.sexual_function_label ?? 'not answered'])}
        />
      </section>

      <section aria-labelledby="report-appointments">
        <h3 id="report-appointments">Appointments and tests booked in the app</h3>
        <Table
          caption="Appointments and tests"
          head={['Date and time', 'What', 'Where', 'Fasting']}
          rows={data.appointments.map((a: any) => [`${formatDate(a.starts_at.slice(0, 10))} ${formatTime(a.starts_at.slice(11, 16))}`, a.label, a.place ?? '–', a.fasting ? 'yes' : 'no'])}
        />
      </section>
    </article>
  );
}

/** The doctor report as a printable page, shareable as a PDF file (A4 or Letter) from the phone. */
export function Report() {
  const current = course.value;
  const [data, setData] = useState<ReportData | null>(null);
  const [failed, setFailed] = useState(false);
  const [shareError, setShareError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ready, setReady] = useState<File | null>(null);
  const [paper, setPaper] = useState<'a4' | 'letter'>(current && ['US', 'CA'].includes(current.country ?? '') ? 'letter' : 'a4');

  useEffect(() => {
    if (!current) return;
    recordApi.report(current.id).then(
      (r) => setData(r as ReportData),
      () => setFailed(true),
    );
  }, [current?.id]);
  if (!current) return null;

  const offer = async (file: File) => {
    if (navigator.canShare?.({ files: [file] })) {
      await navigator.share({ files: [file], title: 'ClearCourse report' });
      return;
    }
    saveFile({ blob: file, filename: file.name });
  };

  const share = async () => {
    setShareError(null);
    setReady(null);
    setBusy(true);
    try {
      const made = await reportPdf(current.id, paper);
      const file = new File([made.blob], made.filename, { type: 'application/pdf' });
      try {
        await offer(file);
      } catch (error) {
        // Drawing a long report takes a while: the tap that asked may be too old to open the share sheet.
        if (error instanceof DOMException && error.name === 'NotAllowedError') setReady(file);
        else throw error;
      }
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setShareError(fileProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="view report">
      <h1 tabIndex={-1}>Report for your prescriber</h1>
      <div class="button-row no-print">
        <button type="button" class="button button-primary" onClick={() => window.print()} disabled={!data}>
          Print
        </button>
        <button type="button" class="button" onClick={() => void share()} disabled={busy} aria-busy={busy}>
          {busy ? t('jobs.pdf.preparing') : 'Share or save as PDF'}
        </button>
        {ready && (
          <button type="button" class="button button-primary" onClick={() => void offer(ready).then(() => setReady(null), (error) => setShareError(error instanceof DOMException && error.name === 'AbortError' ? null : fileProblem(error)))}>
            {t('jobs.pdf.share')}
          </button>
        )}
      </div>
      <div class="field no-print">
        <label for="report-paper">Paper size of the PDF</label>
        <select id="report-paper" value={paper} onChange={(e) => setPaper((e.currentTarget as HTMLSelectElement).value as 'a4' | 'letter')}>
          <option value="a4">A4</option>
          <option value="letter">US Letter</option>
        </select>
      </div>
      {shareError && (
        <p class="error" role="alert">
          {shareError}
        </p>
      )}
      {failed && <p class="muted">The report needs a connection; try again when you are online.</p>}
      {data && <ReportPage data={data} />}
      <p class="no-print">
        To see your appointments in your phone's calendar, make a calendar link in{' '}
        <Link href="/settings#calendar-heading">Settings, Calendar</Link>.
      </p>
    </div>
  );
}
