import { useEffect, useMemo, useState } from 'preact/hooks';
import { DataTable } from '../components/DataTable';
import { DoseChart } from '../components/DoseChart';
import { TrendChart } from '../components/TrendChart';
import { useDoseLogs } from '../doseLogs';
import { plannedSlots } from '../lib/cumulative';
import { addDays, formatShortDate, formatWeekdayDate } from '../lib/dates';
import { pauseOn } from '../lib/pauses';
import { savedCheckIns, type CheckIn } from '../lib/record';
import { EFFECTS, SEVERITIES } from '../lib/triage';
import { formatNumber, language, t } from '../i18n';
import { course, courseToday, timeline } from '../store';
import type { Course } from '../types';

type DayStatus = 'taken' | 'partly' | 'skipped' | 'missed' | 'paused' | 'today';
const statusLabel = (status: DayStatus) => t(`charts.day.${status}`);
const SHOWN: DayStatus[] = ['taken', 'partly', 'skipped', 'missed', 'paused'];
const WINDOW_DAYS = 90;

function Table({ caption, head, rows }: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <details>
      <summary>{t('charts.table.summary', { caption })}</summary>
      <DataTable label={t('charts.table.label', { caption })} head={head} rows={rows} />
    </details>
  );
}

// The calendar's labels, in the patient's language: weekday initials, a month's short name, the day's number.
const weekdayFormat = () => new Intl.DateTimeFormat(language.value, { weekday: 'narrow', timeZone: 'UTC' });
const monthFormat = () => new Intl.DateTimeFormat(language.value, { month: 'short', timeZone: 'UTC' });
const utc = (date: string) => new Date(`${date}T00:00:00Z`);

/** The locale's first day of the week (1 = Monday … 7 = Sunday), where the browser says; else Monday. */
function firstWeekday(): number {
  try {
    const locale = new Intl.Locale(navigator.language) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    return locale.getWeekInfo?.().firstDay ?? locale.weekInfo?.firstDay ?? 1;
  } catch {
    return 1;
  }
}

/**
 * The days as a calendar: one row per week under the weekday initials, each day with its number and
 * its state's colour, the month named at the left of the week it starts in (and of the first week).
 * Hidden from screen readers: the table below says the same day by day.
 */
function AdherenceCalendar({ days }: { days: [string, DayStatus][] }) {
  const statusOf = new Map(days);
  const first = days[0][0];
  const last = days[days.length - 1][0];
  const weekStart = firstWeekday() % 7; // as getUTCDay counts: 0 = Sunday
  const start = addDays(first, -((utc(first).getUTCDay() - weekStart + 7) % 7));
  const weeks: string[][] = [];
  const weekday = weekdayFormat();
  const month = monthFormat();
  for (let monday = start; monday <= last; monday = addDays(monday, 7)) {
    weeks.push(Array.from({ length: 7 }, (_, i) => addDays(monday, i)));
  }
  return (
    <div class="adherence-calendar" aria-hidden="true">
      <span class="cal-corner" />
      {weeks[0].map((day) => (
        <span key={`w${day}`} class="cal-weekday">
          {weekday.format(utc(day))}
        </span>
      ))}
      {weeks.map((week, row) => {
        const newMonth = week.find((day) => day.endsWith('-01') && day >= first && day <= last);
        const named = row === 0 ? first : newMonth;
        return [
          <span key={`m${week[0]}`} class="cal-month">
            {named ? month.format(utc(named)) : ''}
          </span>,
          ...week.map((day) => {
            const status = statusOf.get(day);
            return (
              <span key={day} class={status ? `cal-day day-${status}` : 'cal-day cal-empty'}>
                {status ? Number(day.slice(8, 10)) : ''}
              </span>
            );
          }),
        ];
      })}
    </div>
  );
}

/** Capsules by day: every planned slot taken, skipped, paused or (a past one with no log) not logged. */
function Adherence({ current, today, first }: { current: Course; today: string; first: string }) {
  const { logs, stale } = useDoseLogs(current, today);
  const days = useMemo(() => {
    if (!logs) return null;
    const logged = new Map(logs.map((l) => [`${l.date}|${l.slot}`, l.status]));
    const byDay = new Map<string, DayStatus>();
    // Every planned slot, paused days included: a paused day with nothing logged is "paused", not missed.
    const slots = plannedSlots({ ...current, pauses: [] }, first, today);
    const paused = (day: string) => pauseOn(current.pauses ?? [], day) !== null;
    for (const day of new Set(slots.map((s) => s.date))) {
      const states = slots
        .filter((s) => s.date === day)
        .map((s) => logged.get(`${day}|${s.slot}`) ?? (paused(day) ? 'paused' : day === today ? 'pending' : 'missed'));
      let status: DayStatus;
      if (states.every((s) => s === 'paused')) status = 'paused';
      else if (states.every((s) => s === 'taken' || s === 'paused')) status = 'taken';
      else if (states.includes('pending') && !states.includes('missed')) status = 'today';
      else if (states.includes('taken')) status = 'partly';
      else if (states.includes('missed')) status = 'missed';
      else status = 'skipped';
      byDay.set(day, status);
    }
    return [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  }, [logs, current, first, today]);

  return (
    <section class="card" aria-labelledby="adherence-heading">
      <h2 id="adherence-heading">{t('charts.adherence.heading')}</h2>
      {!days ? (
        <p class="muted" role="status">
          {stale ? t('charts.offline') : t('charts.loading')}
        </p>
      ) : (
        <>
          <p>{SHOWN.map((s) => t('charts.day.count', { status: statusLabel(s), count: days.filter(([, d]) => d === s).length })).join(' · ')}</p>
          {days.length > 0 && <AdherenceCalendar days={days} />}
          <p class="chart-legend" aria-hidden="true">
            {SHOWN.map((s) => (
              <span key={s} class={`day-key day-${s}`}>
                {statusLabel(s)}
              </span>
            ))}
          </p>
          <Table
            caption={t('charts.adherence.heading')}
            head={[t('charts.date'), t('charts.capsules')]}
            rows={[...days].reverse().map(([date, s]) => [formatWeekdayDate(date), statusLabel(s)])}
          />
        </>
      )}
    </section>
  );
}

/** Adherence, cumulative dose vs plan (the Timeline's chart), skin and each effect over time — each with a table. */
export function Charts() {
  const current = course.value;
  const today = courseToday();
  const [checkins, setCheckins] = useState<Record<string, CheckIn>>({});
  const [effect, setEffect] = useState(EFFECTS[0].key);
  useEffect(() => {
    if (current) void savedCheckIns(current.id).then(setCheckins);
  }, [current?.id]);

  const first = current && current.start_date > addDays(today, -WINDOW_DAYS) ? current.start_date : addDays(today, -WINDOW_DAYS);
  const series = useMemo(() => Object.values(checkins).filter((c) => c.date >= first).sort((a, b) => (a.date < b.date ? -1 : 1)), [checkins, first]);
  // An unanswered question is a gap in the line, never a 0.
  const skin = useMemo(() => series.map((c) => ({ date: c.date, value: c.skin ?? null })), [series]);
  const lastSkin = [...skin].reverse().find((p) => p.value !== null);
  const effectPoints = useMemo(() => series.map((c) => ({ date: c.date, value: c.effects[effect] ?? null })), [series, effect]);
  if (!current) return null;
  const effectLabel = EFFECTS.find((e) => e.key === effect)?.label ?? effect;

  return (
    <div class="view charts" lang={language.value}>
      <h1 tabIndex={-1}>{t('charts.title')}</h1>
      <p class="lede">{t('charts.lede', { days: WINDOW_DAYS })}</p>
      <Adherence current={current} today={today} first={first} />
      <DoseChart course={current} today={today} lastDay={timeline.value?.data.projected_last_dose_on ?? null} />
      <section class="card" aria-labelledby="skin-heading">
        <h2 id="skin-heading">{t('charts.skin.heading')}</h2>
        {series.length === 0 ? (
          <p class="muted">{t('charts.skin.none')}</p>
        ) : (
          <>
            <p>
              {lastSkin
                ? t('charts.skin.latest', { value: formatNumber(lastSkin.value ?? 0), day: formatShortDate(lastSkin.date) })
                : t('charts.skin.unanswered')}
            </p>
            <TrendChart points={skin} max={10} label={t('charts.skin')} />
            <div class="field">
              <label for="chart-effect">{t('charts.effect')}</label>
              <select id="chart-effect" value={effect} onChange={(e) => setEffect((e.currentTarget as HTMLSelectElement).value)}>
                {EFFECTS.map((e) => (
                  <option key={e.key} value={e.key}>
                    {e.label}
                  </option>
                ))}
              </select>
            </div>
            <p>{t('charts.effect.scale', { effect: effectLabel })}</p>
            <TrendChart points={effectPoints} max={3} label={effectLabel} />
            <Table
              caption={t('charts.skin.heading')}
              head={[t('charts.date'), t('charts.skin'), effectLabel]}
              rows={[...series].reverse().map((c) => [
                formatShortDate(c.date),
                c.skin ?? t('charts.not_answered'),
                SEVERITIES.find((s) => s.value === c.effects[effect])?.label ?? t('charts.not_answered'),
              ])}
            />
          </>
        )}
      </section>
    </div>
  );
}
