import { t } from '../i18n';
import { formatDate } from '../lib/dates';
import { course, courseToday, currentPause, startPause } from '../store';
import { useSaving } from './DayForm';

/**
 * Under advice that says to stop the capsules: one tap records that the patient has stopped them (a pause
 * from today for `reason`). The patient confirms by tapping; the app never pauses on its own. Once recorded
 * (or when a pause is already going on) it says so instead.
 */
export function PauseOffer({ reason }: { reason: string }) {
  const { busy, error, run } = useSaving();
  const current = course.value;
  const today = courseToday();
  if (!current || current.ended_on || today < current.start_date) return null;
  const pause = currentPause.value;
  if (pause) {
    return (
      <div class="pause-offer" id="pause-offer">
        <p class="pause-recorded" role="status">
          <strong>{t('checkin.pause.recorded.title')}</strong>{' '}
          {t('checkin.pause.recorded.text', { day: formatDate(pause.started_on) })}
        </p>
      </div>
    );
  }
  const tap = () => run(() => startPause(today, reason));
  return (
    <div class="pause-offer" id="pause-offer">
      <p class="hint" id="pause-offer-hint">
        {t('checkin.pause.hint')}
      </p>
      <button type="button" class="button button-secondary" aria-describedby="pause-offer-hint" disabled={busy} onClick={tap}>
        {t('checkin.pause.button')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
