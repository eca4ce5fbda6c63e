import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { addDays, detectTimeZone, formatDate, formatTime, wallClock } from '../lib/dates';
import { localised } from '../lib/local-text';
import { messageFor } from '../lib/errors';
import { t } from '../i18n';
import { course, courseToday } from '../store';
import type { ReminderOccurrence } from '../types';

const FIRST_WINDOW_DAYS = 6;
const LONGEST_WINDOW_DAYS = 62;
/** The server answers at most 31 days after `from` at a time (it bounds each request's work): a longer agenda
 * is asked for a month at a time, the months at once. */
const SERVER_WINDOW_DAYS = 31;

/** The reminders from `from` to `days` days later, in order. */
async function agenda(from: string, days: number): Promise<ReminderOccurrence[]> {
  const months: Promise<ReminderOccurrence[]>[] = [];
  for (let first = 0; first <= days; first += SERVER_WINDOW_DAYS + 1) {
    months.push(api.upcomingReminders(addDays(from, first), addDays(from, Math.min(days, first + SERVER_WINDOW_DAYS))));
  }
  return (await Promise.all(months)).flat();
}

const STATUSES = new Set(['sent', 'missed', 'failed', 'cancelled']);

function groupByDay(items: ReminderOccurrence[]): [string, ReminderOccurrence[]][] {
  const days = new Map<string, ReminderOccurrence[]>();
  for (const item of items) {
    const { date } = wallClock(item.local_time);
    days.set(date, [...(days.get(date) ?? []), item]);
  }
  return [...days.entries()];
}

/** What will be reminded, day by day, at the course's local times. */
export function ReminderAgenda() {
  const [days, setDays] = useState(FIRST_WINDOW_DAYS);
  const [items, setItems] = useState<ReminderOccurrence[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const zone = course.value?.timezone ?? '';
  const from = courseToday();

  useEffect(() => {
    setError(null);
    agenda(from, days).then(setItems, (failure: unknown) => setError(messageFor(failure)));
  }, [from, days]);

  if (error) return <p class="error">{error}</p>;
  if (!items) return <p class="muted">{t('reminders.agenda.loading')}</p>;
  return (
    <div>
      {zone && zone !== detectTimeZone() && <p class="hint">{t('reminders.agenda.zone', { zone })}</p>}
      {items.length === 0 ? (
        <p class="muted">{t('reminders.agenda.none', { days: days + 1 })}</p>
      ) : (
        <ol class="agenda">
          {groupByDay(items).map(([date, entries]) => (
            <li key={date}>
              <h3 class="agenda-day">{formatDate(date)}</h3>
              <ul>
                {entries.map((item) => {
                  const status = STATUSES.has(item.status) ? t(`reminders.agenda.status.${item.status}`) : null;
                  return (
                    <li key={`${item.reminder_id}-${item.fires_at}`} class="agenda-item" data-kind={item.kind}>
                      <time dateTime={item.local_time}>{formatTime(wallClock(item.local_time).time)}</time>
                      <span>
                        {localised(item.local, item.title, item.body).title}
                        {status && <span class="muted"> · {status}</span>}
                      </span>
                    </li>
                  );
                })}
              </ul>
            </li>
          ))}
        </ol>
      )}
      {days < LONGEST_WINDOW_DAYS && (
        <button type="button" class="button button-quiet" onClick={() => setDays(LONGEST_WINDOW_DAYS)}>
          {t('reminders.agenda.more')}
        </button>
      )}
    </div>
  );
}
