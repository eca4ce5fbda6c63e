import { useEffect, useState } from 'preact/hooks';
import { LineChart } from '../components/LineChart';
import { api } from '../api';
import { addDays, formatShortDate } from '../lib/dates';
import { segmentOn } from '../lib/plan';
import { savedCheckIns, recordApi, type CheckIn } from '../lib/record';
import { EFFECTS, SEVERITIES } from '../lib/triage';
import { course, courseToday } from '../store';
import type { Course, DoseLog } from '../types';

type DayStatus = 'taken' | 'partly' | 'skipped' | 'missed' | 'today';
const STATUS_LABEL: Record<DayStatus, string> = { taken: 'Taken', partly: 'Partly taken', skipped: 'Skipped', missed: 'Missed', today: 'Today, not yet logged' };

function plannedMg(c: Course, date: string): number {
  const seg = segmentOn(c, date);
  if (!seg || date < c.start_date) return 0;
  if (seg.cycle_mg?.length) {
    const n = Math.round((Date.parse(date) - Date.parse(seg.from_date)) / 86_400_000);
    return seg.cycle_mg[((n % seg.cycle_mg.length) + seg.cycle_mg.length) % seg.cycle_mg.length];
  }
  return seg.daily_mg ?? 0;
}

function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function Details({ summary, children }: { summary: string; children: preact.ComponentChildren }) {
  return (
    <details>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/** Adherence, cumulative dose vs plan, skin and each effect over time — each also as a table. */
export function Charts() {
  const current = course.value;
  const [doses, setDoses] = useState<DoseLog[] | null>(null);
  const [missed, setMissed] = useState<Set<string>>(new Set());
  const [checkins, setCheckins] = useState<Record<string, CheckIn>>({});
  const [effect, setEffect] = useState(EFFECTS[0].key);
  const today = courseToday();

  useEffect(() => {
    if (!current) return;
    void savedCheckIns(current.id).then(setCheckins);
    api.doses(current.id, current.start_date, today).then(setDoses, () => setDoses([]));
    recordApi.report(current.id).then(
      (r) => setMissed(new Set(((r.adherence as { missed_days: { date: string }[] }).missed_days ?? []).map((d) => d.date))),
      () => undefined,
    );
  }, [current?.id]);
  if (!current) return null;

  const first = current.start_date > addDays(today, -90) ? current.start_date : addDays(today, -90);
  const range = first <= today ? days(first, today) : [];
  const byDay = new Map<string, DoseLog[]>();
  for (const d of doses ?? []) byDay.set(d.date, [...(byDay.get(d.date) ?? []), d]);
  const status = (date: string): DayStatus => {
    const logs = byDay.get(date) ?? [];
    if (missed.has(date)) return logs.some((l) => l.status === 'taken') ? 'partly' : 'missed';
    if (!logs.length) return date === today ? 'today' : 'missed';
    if (logs.every((l) => l.status === 'taken')) return 'taken';
    return logs.some((l) => l.status === 'taken') ? 'partly' : 'skipped';
  };

  let actual = 0;
  let planned = 0;
  const cumulative = range.map((date) => {
    actual += (byDay.get(date) ?? []).filter((l) => l.status === 'taken').reduce((sum, l) => sum + l.mg, 0);
    planned += plannedMg(current, date);
    return { date, actual, planned };
  });
  const skin = Object.values(checkins)
    .filter((c) => c.date >= first)
    .sort((a, b) => (a.date < b.date ? -1 : 1));
  const effectLabel = EFFECTS.find((e) => e.key === effect)?.label ?? effect;

  return (
    <div class="view charts">
      <h1 tabIndex={-1}>Charts</h1>
      <p class="lede">The last {range.length} days of your course.</p>

      <section class="card" aria-labelledby="adherence-heading">
        <h2 id="adherence-heading">Capsules by day</h2>
        {doses === null ? (
          <p class="muted">Loading…</p>
        ) : (
          <>
            <p>
              {(['taken', 'partly', 'skipped', 'missed'] as DayStatus[])
                .map((s) => `${STATUS_LABEL[s]}: ${range.filter((d) => status(d) === s).length} days`)
                .join(' · ')}
            </p>
            <ol class="adherence-calendar" aria-hidden="true">
              {range.map((date) => (
                <li key={date} class={`day-${status(date)}`} title={`${date}: ${STATUS_LABEL[status(date)]}`} />
              ))}
            </ol>
            <p class="legend" aria-hidden="true">
              {(['taken', 'partly', 'skipped', 'missed'] as DayStatus[]).map((s) => (
                <span key={s} class={`key day-${s}`}>
                  {STATUS_LABEL[s]}
                </span>
              ))}
            </p>
            <Details summary="Capsules by day as a table">
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Capsules</th>
                  </tr>
                </thead>
                <tbody>
                  {[...range].reverse().map((date) => (
                    <tr key={date}>
                      <th scope="row">{formatShortDate(date)}</th>
                      <td>{STATUS_LABEL[status(date)]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Details>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="cumulative-heading">
        <h2 id="cumulative-heading">Cumulative dose and your plan</h2>
        <LineChart
          label={`Cumulative dose: ${Math.round(actual)} mg taken, ${Math.round(planned)} mg in your plan for the same days`}
          series={[
            { name: 'Taken', className: 'line-actual', points: cumulative.map((c) => ({ x: c.date, y: c.actual })) },
            { name: 'Plan', className: 'line-plan', points: cumulative.map((c) => ({ x: c.date, y: c.planned })) },
          ]}
        />
        <Details summary="Cumulative dose as a table">
          <table class="data-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Taken (mg)</th>
                <th scope="col">Plan (mg)</th>
              </tr>
            </thead>
            <tbody>
              {[...cumulative].reverse().map((c) => (
                <tr key={c.date}>
                  <th scope="row">{formatShortDate(c.date)}</th>
                  <td>{Math.round(c.actual)}</td>
                  <td>{Math.round(c.planned)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Details>
      </section>

      <section class="card" aria-labelledby="skin-heading">
        <h2 id="skin-heading">Skin (0 clear – 10 worst)</h2>
        {skin.length === 0 ? (
          <p class="muted">No check-ins yet.</p>
        ) : (
          <>
            <LineChart label={`Skin score over ${skin.length} check-ins, latest ${skin[skin.length - 1].skin}`} yMax={10} series={[{ name: 'Skin', className: 'line-actual', points: skin.map((c) => ({ x: c.date, y: c.skin })) }]} />
            <div class="field">
              <label for="chart-effect">Effect</label>
              <select id="chart-effect" value={effect} onChange={(e) => setEffect((e.currentTarget as HTMLSelectElement).value)}>
                {EFFECTS.map((e) => (
                  <option key={e.key} value={e.key}>
                    {e.label}
                  </option>
                ))}
              </select>
            </div>
            <LineChart label={`${effectLabel} over time, 0 none to 3 strong`} yMax={3} series={[{ name: effectLabel, className: 'line-plan', points: skin.map((c) => ({ x: c.date, y: c.effects[effect] ?? 0 })) }]} />
            <Details summary="Skin and effects as a table">
              <table class="data-table">
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">Skin</th>
                    <th scope="col">{effectLabel}</th>
                  </tr>
                </thead>
                <tbody>
                  {[...skin].reverse().map((c) => (
                    <tr key={c.date}>
                      <th scope="row">{formatShortDate(c.date)}</th>
                      <td>{c.skin}</td>
                      <td>{SEVERITIES.find((s) => s.value === (c.effects[effect] ?? 0))?.label}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Details>
          </>
        )}
      </section>
    </div>
  );
}
