import { useEffect, useState } from 'preact/hooks';
import { DataTable } from '../components/DataTable';
import { Link } from '../components/Link';
import { SourceIds } from '../components/Facts';
import { formatDate } from '../lib/dates';
import { recordApi, reportPdf } from '../lib/record';
import { course } from '../store';

type ReportData = Record<string, any>;

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  if (!rows.length) return <p class="muted">{caption}: none recorded.</p>;
  return <DataTable label={caption} caption={caption} head={head} rows={rows} />;
}

/** The doctor report as a printable page, shareable as a PDF file from the phone. */
export function Report() {
  const current = course.value;
  const [data, setData] = useState<ReportData | null>(null);
  const [failed, setFailed] = useState(false);
  const [shareError, setShareError] = useState<string | null>(null);

  useEffect(() => {
    if (!current) return;
    recordApi.report(current.id).then(
      (r) => setData(r as ReportData),
      () => setFailed(true),
    );
  }, [current?.id]);
  if (!current) return null;

  const share = async () => {
    setShareError(null);
    try {
      const blob = await reportPdf(current.id);
      const file = new File([blob], `clearcourse-report-${data?.to ?? 'today'}.pdf`, { type: 'application/pdf' });
      if (navigator.canShare?.({ files: [file] })) {
        await navigator.share({ files: [file], title: 'ClearCourse report' });
        return;
      }
      const url = URL.createObjectURL(file);
      const link = document.createElement('a');
      link.href = url;
      link.download = file.name;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      setShareError('The PDF needs a connection; try again when you are online.');
    }
  };

  const adherence = data?.adherence;
  const checkins = data?.checkins;
  return (
    <div class="view report">
      <h1 tabIndex={-1}>Report for your prescriber</h1>
      <div class="button-row no-print">
        <button type="button" class="button button-primary" onClick={() => window.print()} disabled={!data}>
          Print
        </button>
        <button type="button" class="button" onClick={() => void share()}>
          Share or save as PDF
        </button>
      </div>
      {shareError && (
        <p class="error" role="alert">
          {shareError}
        </p>
      )}
      {failed && <p class="muted">The report needs a connection; try again when you are online.</p>}
      {data && (
        <article class="card report-page" aria-labelledby="report-title">
          <h2 id="report-title">{data.title}</h2>
          <p>
            {formatDate(data.from)} to {formatDate(data.to)}
          </p>
          <p class="muted">
            {data.disclaimer}
            <SourceIds facts={['PRODUCT-1']} />
          </p>
          <Table
            caption="Course"
            head={['', 'As recorded']}
            rows={[
              ['Start', data.course.start_date],
              ['Weight', `${data.course.weight_kg} kg`],
              ['Cumulative target', data.course.target_mg_per_kg === null ? 'none' : `${data.course.target_mg_per_kg} mg/kg`],
              ['Rule set', data.course.rule_set_title],
              ['Plan', data.course.plan.join('; ')],
            ]}
          />
          <Table
            caption="Cumulative dose"
            head={['Total', 'Per kg', 'Of target']}
            rows={[[`${data.cumulative_mg} mg`, `${data.cumulative_mg_per_kg} mg/kg`, data.target_percent === null ? '-' : `${data.target_percent} %`]]}
          />
          <Table
            caption="Adherence"
            head={['Planned doses', 'Taken', 'Skipped', 'Missed', '% taken']}
            rows={[[adherence.planned_doses, adherence.taken_doses, adherence.skipped_doses, adherence.missed_doses, adherence.percent_taken === null ? '-' : `${adherence.percent_taken} %`]]}
          />
          <Table
            caption="Missed and skipped days"
            head={['Date', 'What', 'Dose(s)']}
            rows={[
              ...adherence.missed_days.map((d: any) => [d.date, 'missed', d.slots.join(', ')]),
              ...adherence.skipped_days.map((d: any) => [d.date, 'skipped', d.slots.join(', ')]),
            ].sort()}
          />
          <Table
            caption={`Check-ins (${checkins.checkin_days} days): skin 0–10`}
            head={['First', 'Last', 'Lowest', 'Highest', 'Average']}
            rows={[[checkins.skin.first ?? '-', checkins.skin.last ?? '-', checkins.skin.lowest ?? '-', checkins.skin.highest ?? '-', checkins.skin.average ?? '-']]}
          />
          <Table
            caption="Effects reported"
            head={['Effect', 'Days', 'Days strong', 'Strongest (0–3)']}
            rows={checkins.effects.filter((e: any) => e.days_reported).map((e: any) => [e.label, e.days_reported, e.days_strong, e.max_severity])}
          />
          <Table caption="Red flags reported" head={['Date', 'What']} rows={checkins.red_flags.map((f: any) => [f.date, f.label])} />
          <Table
            caption="Weekly mood answers"
            head={['Week', 'Little interest', 'Feeling low', 'Self-harm thoughts']}
            rows={data.mood.weeks.map((m: any) => [m.week, m.interest.replaceAll('_', ' '), m.low_mood.replaceAll('_', ' '), m.self_harm_thoughts ? 'yes' : 'no'])}
          />
          <Table
            caption="Appointments and tests"
            head={['When', 'What', 'Where', 'Fasting']}
            rows={data.appointments.map((a: any) => [a.starts_at.replace('T', ' '), a.label, a.place ?? '-', a.fasting ? 'yes' : 'no'])}
          />
        </article>
      )}
      <p class="no-print">
        To see your appointments in your phone's calendar, make a calendar link in{' '}
        <Link href="/settings#calendar-heading">Settings, Calendar</Link>.
      </p>
    </div>
  );
}
