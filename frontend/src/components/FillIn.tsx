import { useState } from 'preact/hooks';
import { useDoseLogs } from '../doseLogs';
import { plannedSlots, type PlannedSlot } from '../lib/cumulative';
import { addDays, formatDate, formatShortDate, formatTime, instantOn } from '../lib/dates';
import { overlayToday } from '../lib/doses';
import { slotTime } from '../lib/plan';
import { formatMg } from '../lib/format';
import { t } from '../i18n';
import { logDose, logMany, outboxRecords } from '../store';
import type { Course, MissingLog, Today } from '../types';

interface Week {
  number: number;
  first: string;
  last: string;
  days: { date: string; slots: PlannedSlot[] }[];
}

const key = (date: string, slot: number) => `${date}|${slot}`;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Unlogged slots grouped by course week (week 1 starts on day 1), newest week first. */
function byWeek(course: Course, slots: PlannedSlot[]): Week[] {
  const weeks = new Map<number, Week>();
  for (const slot of slots) {
    const number = Math.floor(daysBetween(course.start_date, slot.date) / 7) + 1;
    const first = addDays(course.start_date, (number - 1) * 7);
    const week = weeks.get(number) ?? { number, first, last: addDays(first, 6), days: [] };
    const day = week.days.find((d) => d.date === slot.date);
    if (day) day.slots.push(slot);
    else week.days.push({ date: slot.date, slots: [slot] });
    weeks.set(number, week);
  }
  return [...weeks.values()].sort((a, b) => b.number - a.number);
}

function asSlots(course: Course, missing: MissingLog[]): PlannedSlot[] {
  return missing.map((m) => ({ ...m, time: slotTime(course, m.date, m.slot) ?? '12:00' }));
}

/** Every earlier planned dose with no entry, by week, with "All taken this week". */
export function FillIn({ course, data, missingFallback }: { course: Course; data: Today; missingFallback: MissingLog[] }) {
  const yesterday = addDays(data.date, -1);
  const { logs } = useDoseLogs(course, yesterday, data.missing_logs_count);
  const [loggedHere, setLoggedHere] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<number | null>(null);

  const queued = new Set<string>();
  const { pendingPast } = overlayToday(data, outboxRecords.value, course.id);
  for (const record of outboxRecords.value) {
    if (record.meta?.courseId !== course.id) continue;
    if (record.meta.kind === 'batch') record.meta.items.forEach((item) => queued.add(key(item.date, item.slot)));
    else if (record.meta.kind === 'dose' && record.method === 'PUT') queued.add(key(record.meta.date, record.meta.slot));
  }
  const logged = new Set((logs ?? []).map((log) => key(log.date, log.slot)));
  const candidates = logs ? plannedSlots(course, course.start_date, yesterday) : asSlots(course, missingFallback);
  const unlogged = candidates.filter((s) => !logged.has(key(s.date, s.slot)) && !queued.has(key(s.date, s.slot)) && !loggedHere.has(key(s.date, s.slot)));
  if (!unlogged.length && !pendingPast) return null;

  const remember = (slots: PlannedSlot[]) => setLoggedHere((now) => new Set([...now, ...slots.map((s) => key(s.date, s.slot))]));
  const allTaken = async (week: Week) => {
    const slots = week.days.flatMap((d) => d.slots);
    remember(slots);
    await logMany(
      slots.map((s) => ({ date: s.date, slot: s.slot, status: 'taken', mg: s.mg, taken_at: instantOn(s.date, s.time) })),
      t('today.fill.logged', { week: week.number, count: slots.length }),
    );
  };
  const one = async (slot: PlannedSlot, status: 'taken' | 'skipped') => {
    remember([slot]);
    await logDose(slot.date, slot.slot, slot.mg, status, slot.time);
  };

  const weeks = byWeek(course, unlogged);
  return (
    <section class="card card-attention" id="fill-in" tabIndex={-1} aria-labelledby="fill-in-heading">
      <h2 id="fill-in-heading">{t('today.fill.heading')}</h2>
      {unlogged.length ? (
        <p>{t('today.fill.intro', { count: unlogged.length })}</p>
      ) : (
        <p>{t('today.fill.all_logged')}</p>
      )}
      <ol class="weeks">
        {weeks.map((week) => {
          const count = week.days.reduce((n, d) => n + d.slots.length, 0);
          const label = t('today.fill.week', { week: week.number, first: formatShortDate(week.first), last: formatShortDate(week.last) });
          return (
            <li key={week.number} class="week" data-week={week.number}>
              <p class="week-title">
                <strong>{label}</strong>
                {t('today.fill.week_count', { count })}
              </p>
              <div class="button-row">
                <button type="button" class="button button-small" onClick={() => void allTaken(week)}>
                  {t('today.fill.all_taken')}<span class="visually-hidden"> — {label}</span>
                </button>
                <button
                  type="button"
                  class="button button-small button-secondary"
                  aria-expanded={open === week.number}
                  onClick={() => setOpen(open === week.number ? null : week.number)}
                >
                  {t(open === week.number ? 'today.fill.hide' : 'today.fill.days')}
                  <span class="visually-hidden"> — {label}</span>
                </button>
              </div>
              {open === week.number && (
                <ul class="missing-list">
                  {week.days.flatMap((day) =>
                    day.slots.map((slot) => {
                      const text = `${formatDate(day.date)}, ${formatTime(slot.time)}, ${formatMg(slot.mg)}`;
                      return (
                        <li key={key(slot.date, slot.slot)}>
                          <span>{text}</span>
                          <span class="dose-actions">
                            <button type="button" class="button button-small" onClick={() => void one(slot, 'taken')}>
                              {t('today.fill.taken')}<span class="visually-hidden"> — {text}</span>
                            </button>
                            <button type="button" class="button button-small button-secondary" onClick={() => void one(slot, 'skipped')}>
                              {t('today.fill.skipped')}<span class="visually-hidden"> — {text}</span>
                            </button>
                          </span>
                        </li>
                      );
                    }),
                  )}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
