import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Checkbox } from '../components/Form';
import { LockScreenChoice } from '../components/LockScreenChoice';
import { PushSetup } from '../components/PushSetup';
import { Section } from '../components/Section';
import { t } from '../i18n';
import { messageFor } from '../lib/errors';
import { remindersOnHere } from '../push';
import { navigate } from '../router';
import { announce, course } from '../store';
import type { ReminderRule } from '../types';

/** The weekly mood check reminder: off until the patient turns it on (here or in Plan → Reminders). */
function MoodReminder({ courseId }: { courseId: string }) {
  const [rule, setRule] = useState<ReminderRule | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.reminders(courseId).then(
      (rules) => setRule(rules.find((r) => r.kind === 'mood_checkin') ?? null),
      () => setError(t('reminders.mood.offline')),
    );
  }, [courseId]);

  const toggle = async (enabled: boolean) => {
    if (!rule) return;
    setBusy(true);
    setError(null);
    setRule({ ...rule, enabled }); // shown at once; put back if the server does not take it
    try {
      setRule(await api.updateReminder(rule.id, { enabled }));
      announce(t(enabled ? 'reminders.mood.on' : 'reminders.mood.off'));
    } catch (failure) {
      setRule(rule);
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {rule && (
        <Checkbox
          id="mood-reminder"
          label={t('reminders.mood.label')}
          hint={t('reminders.mood.hint')}
          checked={rule.enabled}
          disabled={busy}
          onChange={(enabled) => void toggle(enabled)}
        />
      )}
      {!rule && !error && <p class="muted">{t('reminders.loading')}</p>}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}

/** After set-up: turn reminders on here (or learn why not yet), choose the weekly mood check, or skip. */
export function GetReminders() {
  const current = course.value;
  const [on, setOn] = useState(false);
  const check = () => void remindersOnHere().then(setOn, () => setOn(false));
  useEffect(check, []);
  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>{t('reminders.offer.title')}</h1>
        <p class="lede">{t('reminders.offer.lede')}</p>
      </header>
      <Section id="offer-push-heading" title={t('reminders.offer.push')}>
        <PushSetup onChange={check} />
      </Section>
      {current && (
        <Section id="offer-mood-heading" title={t('reminders.offer.mood')}>
          <MoodReminder courseId={current.id} />
          <LockScreenChoice />
        </Section>
      )}
      <p>
        <button type="button" class={on ? 'button button-primary' : 'button button-secondary'} onClick={() => navigate('/', { replace: true })}>
          {t(on ? 'reminders.offer.done' : 'reminders.offer.skip')}
        </button>
      </p>
      <p class="muted">{t('reminders.offer.later')}</p>
    </div>
  );
}
