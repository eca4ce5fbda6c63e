import { useEffect, useState } from 'preact/hooks';
import { dismissReminderNudge, reminderNudgeDismissed, remindersOnHere } from '../push';
import { t } from '../i18n';
import { Link } from './Link';

/** Today's small line while reminders are off on this phone, until they are on or the patient says "Not now". */
export function ReminderNudge() {
  const [show, setShow] = useState(false);
  useEffect(() => {
    let live = true;
    Promise.all([remindersOnHere(), reminderNudgeDismissed()]).then(
      ([on, dismissed]) => live && setShow(!on && !dismissed),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!show) return null;
  return (
    <p class="reminder-nudge">
      <span>{t('today.nudge.off')}</span> <Link href="/get-reminders">{t('today.nudge.on')}</Link>
      <button
        type="button"
        class="button button-quiet button-small"
        onClick={() => {
          setShow(false);
          void dismissReminderNudge();
        }}
      >
        {t('today.nudge.not_now')}
      </button>
    </p>
  );
}
