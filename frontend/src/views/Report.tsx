import './report.css';
import { useEffect, useState } from 'preact/hooks';
import { Link } from '../components/Link';
import { SourceIds } from '../components/Facts';
import { formatDay, formatNumber, language, t } from '../i18n';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from '../i18n/locale';
import { recordApi, reportPdf } from '../lib/record';
import { fileProblem, saveFile } from '../lib/files';
import { course } from '../store';

type ReportData = Record<string, any>;

type Cell = string | number;

/**
 * A table that reads at 320 px: below 480 px each row becomes a block whose cells carry their column's
 * heading (data-label), so nothing scrolls sideways; printed, it is an ordinary table.
 */
function Table({ caption, head, rows }: { caption: string; head: string[]; rows: Cell[][] }) {
  if (!rows.length) return <p class="muted">{t('report.none_recorded', { caption })}</p>;
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

// Every decimal the server sent (e.g. 0.57 mg/kg/day), as the PDF prints it, with the language's separators.
const num = (value: number | null | undefined) => (value === null || value === undefined ? '–' : formatNumber(value, { maximumFractionDigits: 2 }));
const DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const formatDate = (date: string | null | undefined) => formatDay(date, DATE);
/** A wall-clock "HH:MM" as the current language writes times. */
const formatTime = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  if (!Number.isFinite(h) || !Number.isFinite(m)) return hhmm;
  return new Intl.DateTimeFormat(language.value, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(new Date(Date.UTC(2000, 0, 1, h, m)));
};
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
              <span class="visually-hidden">{t('report.write_in')}</span>
            </dd>
          </div>
        ))}
      </dl>
      <p class="hint no-print">{data.patient_lines_note}</p>
      <p class="report-period">
        {t('report.period', { from: formatDate(data.from), to: formatDate(data.to) })}
      </p>
      <p class="muted">
        {t('report.written_on', { day: formatDate(data.generated_on) })} {data.disclaimer}
        <SourceIds facts={['PRODUCT-1']} />
      </p>

      <section aria-labelledby="report-safety">
        <h3 id="report-safety">{t('report.safety')}</h3>
        {quiet && <p>{safety.none_note}</p>}
        {safety.red_flags.length > 0 && (
          <Table
            caption={t('report.safety.flags')}
            head={[t('report.safety.flags.ticked'), t('report.from'), t('report.to'), t('report.days')]}
            rows={safety.red_flags.map((f: any) => [f.label, formatDate(f.from), formatDate(f.to), f.days])}
          />
        )}
        {safety.self_harm_yes.length > 0 && (
          <Table caption={t('report.safety.self_harm')} head={[t('report.week_of'), t('report.safety.answer')]} rows={safety.self_harm_yes.map((w: any) => [formatDate(w.week_of), t('report.yes')])} />
        )}
        <Table
          caption={t('report.pauses')}
          head={[t('report.pauses.stopped'), t('report.pauses.restarted'), t('report.pauses.why'), t('report.pauses.days')]}
          rows={pauses.map((p) => [formatDate(p.started_on), p.resumed_on ? formatDate(p.resumed_on) : t('report.pauses.not_yet'), p.reason_label ?? p.reason ?? '', p.days ?? '–'])}
        />
        {safety.pregnancy_tests !== null && (
          <>
            <Table caption={t('report.pregnancy_tests')} head={[t('report.date'), t('report.where')]} rows={safety.pregnancy_tests.map((test: any) => [formatDate(test.date), test.place ?? '–'])} />
            <p class="hint">{safety.pregnancy_tests_note}</p>
          </>
        )}
      </section>

      <section aria-labelledby="report-course">
        <h3 id="report-course">{t('report.course')}</h3>
        <Pairs
          label={t('report.course')}
          pairs={[
            [t('report.course.capsules'), c.product_label],
            [t('report.course.rule_set'), `${c.rule_set_title}${c.rule_set_status ? ` — ${c.rule_set_status.verify ? `${t('report.course.verify')} ` : ''}${c.rule_set_status.text}` : ''}`],
            [t('report.course.plan'), c.plan.map((line: string) => line.replace(ISO_DAY, (d) => formatDate(d))).join('; ')],
            [t('report.course.first'), formatDate(c.start_date)],
            [t('report.course.last'), c.ended_on ? formatDate(c.ended_on) : t('report.course.still_taking')],
            [t('report.course.target'), c.target_mg_per_kg === null ? t('report.course.no_target') : num(c.target_mg_per_kg)],
            [t('report.course.pregnancy'), t(c.pregnancy_prevention ? 'report.course.applies' : 'report.course.does_not_apply')],
          ]}
        />
        <Table
          caption={t('report.weights')}
          head={[t('report.weights.recorded'), t('report.weights.kg'), t('report.weights.note')]}
          rows={data.weights.map((w: any, i: number) => [formatDate(w.recorded_on), num(w.weight_kg), i === 0 ? t('report.weights.start') : w.rebased ? t('report.weights.rebased') : ''])}
        />
      </section>

      <section aria-labelledby="report-dose">
        <h3 id="report-dose">{t('report.dose')}</h3>
        <p class="hint">
          {dose.cumulative_note} {dose.mg_per_kg_note}
        </p>
        {dose.micronised_note && <p class="notice">{dose.micronised_note}</p>}
        <Pairs
          label={t('report.dose')}
          pairs={[
            [t('report.dose.total'), num(dose.cumulative_mg)],
            [t('report.dose.by_start', { kg: num(dose.start_weight_kg) }), num(dose.mg_per_kg_by_start_weight)],
            ...(dose.latest_weight_kg !== null ? [[t('report.dose.by_latest', { kg: num(dose.latest_weight_kg) }), num(dose.mg_per_kg_by_latest_weight)] as [string, Cell]] : []),
            ...(dose.target_mg !== null
              ? ([
                  [t('report.dose.target', { basis: dose.counted_by.basis === 'start' ? 'start' : 'rebased', kg: num(dose.counted_by.weight_kg) }), num(dose.target_mg)],
                  [t('report.dose.share'), num(dose.target_percent)],
                ] as [string, Cell][])
              : []),
            [t('report.dose.plan'), num(dose.current_mg_per_day)],
            [t('report.dose.plan_by_weight'), num(dose.current_mg_per_kg_per_day)],
          ]}
        />
      </section>

      <section aria-labelledby="report-adherence">
        <h3 id="report-adherence">{t('report.adherence')}</h3>
        <Pairs
          label={t('report.adherence.label')}
          pairs={[
            [t('report.adherence.planned'), adherence.planned_doses],
            [t('report.adherence.taken'), adherence.taken_doses],
            [t('report.adherence.skipped'), adherence.skipped_doses],
            [t('report.adherence.paused'), adherence.paused_doses ?? 0],
            [t('report.adherence.not_logged'), adherence.not_logged_doses],
            [t('report.adherence.percent'), num(adherence.percent_taken)],
          ]}
        />
        <p class="hint">{adherence.note}</p>
        <Table
          caption={t('report.not_logged')}
          head={[t('report.from'), t('report.to'), t('report.days'), t('report.not_logged.doses')]}
          rows={adherence.not_logged_ranges.map((r: any) => [formatDate(r.from), formatDate(r.to), r.days, r.doses])}
        />
        <Table
          caption={t('report.skipped')}
          head={[t('report.date'), t('report.skipped.slot')]}
          rows={adherence.skipped_days.map((d: any) => [formatDate(d.date), d.slots.map((slot: number) => t('report.skipped.ordinal', { slot })).join(', ')])}
        />
      </section>

      <section aria-labelledby="report-checkins">
        <h3 id="report-checkins">{t('report.checkins', { days: checkins.checkin_days })}</h3>
        <p class="hint">
          {checkins.note}
          <SourceIds facts={['EXP-8']} />
        </p>
        <Pairs
          label={t('report.skin')}
          pairs={[
            [t('report.skin.days'), checkins.skin.days_answered],
            [t('report.skin.first_last'), `${num(checkins.skin.first)} / ${num(checkins.skin.last)}`],
            [t('report.skin.range'), `${num(checkins.skin.lowest)} / ${num(checkins.skin.highest)}`],
            [t('report.skin.average'), num(checkins.skin.average)],
          ]}
        />
        <Table
          caption={t('report.effects')}
          head={[t('report.effects.effect'), t('report.effects.answered'), t('report.effects.reported'), t('report.effects.strong'), t('report.effects.strongest')]}
          rows={checkins.effects.filter((e: any) => e.days_reported).map((e: any) => [e.label, e.days_answered, e.days_reported, e.days_strong, e.strongest ?? '–'])}
        />
      </section>

      <section aria-labelledby="report-mood">
        <h3 id="report-mood">{t('report.mood')}</h3>
        <p class="hint">{mood.note}</p>
        <Table
          caption={t('report.mood.answers')}
          head={[t('report.week_of'), mood.headings.interest, mood.headings.low_mood, mood.headings.self_harm_thoughts, mood.headings.sexual_function]}
          rows={mood.weeks.map((m: any) => [formatDate(m.week_of), m.interest_label, m.low_mood_label, m.self_harm_label, m.sexual_function_label ?? t('report.mood.unanswered')])}
        />
      </section>

      <section aria-labelledby="report-appointments">
        <h3 id="report-appointments">{t('report.appointments')}</h3>
        <Table
          caption={t('report.appointments.caption')}
          head={[t('report.appointments.when'), t('report.appointments.what'), t('report.where'), t('report.appointments.fasting')]}
          rows={data.appointments.map((a: any) => [`${formatDate(a.starts_at.slice(0, 10))} ${formatTime(a.starts_at.slice(11, 16))}`, a.label, a.place ?? '–', t(a.fasting ? 'report.yes.lower' : 'report.no')])}
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
  const [pdfLanguage, setPdfLanguage] = useState<Language>(language.value);

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
      await navigator.share({ files: [file], title: t('report.share.title') });
      return;
    }
    saveFile({ blob: file, filename: file.name });
  };

  const share = async () => {
    setShareError(null);
    setReady(null);
    setBusy(true);
    try {
      const made = await reportPdf(current.id, paper, pdfLanguage);
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
    <div class="view report" lang={language.value}>
      <h1 tabIndex={-1}>{t('report.title')}</h1>
      <div class="button-row no-print">
        <button type="button" class="button button-primary" onClick={() => window.print()} disabled={!data}>
          {t('report.print')}
        </button>
        <button type="button" class="button" onClick={() => void share()} disabled={busy} aria-busy={busy}>
          {busy ? t('jobs.pdf.preparing') : t('report.share')}
        </button>
        {ready && (
          <button type="button" class="button button-primary" onClick={() => void offer(ready).then(() => setReady(null), (error) => setShareError(error instanceof DOMException && error.name === 'AbortError' ? null : fileProblem(error)))}>
            {t('jobs.pdf.share')}
          </button>
        )}
      </div>
      <div class="field no-print">
        <label for="report-paper">{t('report.paper')}</label>
        <select id="report-paper" value={paper} onChange={(e) => setPaper((e.currentTarget as HTMLSelectElement).value as 'a4' | 'letter')}>
          <option value="a4">{t('report.paper.a4')}</option>
          <option value="letter">{t('report.paper.letter')}</option>
        </select>
      </div>
      <div class="field no-print">
        <label for="report-language">{t('report.pdf_language')}</label>
        <select id="report-language" value={pdfLanguage} onChange={(e) => setPdfLanguage((e.currentTarget as HTMLSelectElement).value as Language)}>
          {LANGUAGES.map((lang) => (
            <option key={lang} value={lang} lang={lang}>
              {LANGUAGE_NAMES[lang]}
            </option>
          ))}
        </select>
      </div>
      {shareError && (
        <p class="error" role="alert">
          {shareError}
        </p>
      )}
      {failed && <p class="muted">{t('report.offline')}</p>}
      {data && <ReportPage data={data} />}
      <p class="no-print">
        {t('report.calendar')} <Link href="/settings#calendar-heading">{t('report.calendar.link')}</Link>.
      </p>
    </div>
  );
}
