import { t } from '../i18n';
import { addDays, formatDate } from '../lib/dates';

/** A start further back than this, or further ahead, is probably a typo and is confirmed first. */
const MAX_DAYS_BACK = 365;
const MAX_DAYS_AHEAD = 60;
/** No course followed here started earlier (the server refuses it too). */
const EARLIEST_DAYS_BACK = 730;

/** The error for a start before the earliest plausible course, or null. */
export function tooEarlyStart(start: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) return null;
  const earliest = addDays(today, -EARLIEST_DAYS_BACK);
  return start < earliest ? t('setup.start.too_early', { date: formatDate(earliest) }) : null;
}

/** Why this start date needs a second look, or null when it is plausible. */
export function unusualStart(start: string, today: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) return null;
  if (start < addDays(today, -MAX_DAYS_BACK)) return t('setup.start.year_ago', { date: formatDate(start) });
  if (start > addDays(today, MAX_DAYS_AHEAD)) return t('setup.start.far_ahead', { date: formatDate(start), days: MAX_DAYS_AHEAD });
  return null;
}

/** Asks "is that right?" about an unusual start date before the form is sent. */
export function StartDateConfirm({ id, reason, onConfirm, onChange }: { id: string; reason: string; onConfirm: () => void; onChange: () => void }) {
  return (
    <div class="confirm" id={id} tabIndex={-1} role="group" aria-labelledby={`${id}-text`}>
      <p id={`${id}-text`}>
        <strong>{t('setup.start.check')}</strong> {reason} {t('setup.start.right')}
      </p>
      <button type="button" class="button button-primary" onClick={onConfirm}>
        {t('setup.start.yes')}
      </button>
      <button type="button" class="button button-secondary" onClick={onChange}>
        {t('setup.start.change')}
      </button>
    </div>
  );
}
