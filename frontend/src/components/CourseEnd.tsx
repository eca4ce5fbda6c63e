import { useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { formatDate } from '../lib/dates';
import { focusSoon, messageFor } from '../lib/errors';
import { announce, courseToday, refreshTimeline, refreshToday, setCourse } from '../store';
import type { Course, TargetReached } from '../types';
import { SourceIds } from './Facts';
import { Field } from './Form';

async function setEndedOn(current: Course, endedOn: string | null, message: string): Promise<void> {
  await setCourse(await api.updateCourse(current.id, { ended_on: endedOn }));
  await Promise.all([refreshToday(), refreshTimeline()]).catch(() => undefined);
  announce(message);
}

/**
 * "My prescriber stopped my capsules": the patient confirms the end and picks the day of the last capsule
 * (from the start to today, today by default). Only this ends a course; the total never does (DOSE-13).
 */
export function FinishCourse({ current, open = false }: { current: Course; open?: boolean }) {
  const today = courseToday();
  const [asking, setAsking] = useState(open);
  const [day, setDay] = useState(today);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (current.ended_on) {
    return (
      <div class="finish">
        <p>{t('today.end.was_on', { date: formatDate(current.ended_on) })}</p>
        <button
          type="button"
          class="button button-secondary"
          onClick={() => setEndedOn(current, null, t('today.end.reopened')).catch((e) => setError(messageFor(e)))}
        >
          {t('today.end.still_taking')}
        </button>
        {error && <p class="error" role="alert">{error}</p>}
      </div>
    );
  }
  if (today < current.start_date) {
    return <p class="muted finish">{t('today.end.not_started', { date: formatDate(current.start_date) })}</p>;
  }
  if (!asking) {
    return (
      <button
        type="button"
        class="button button-secondary"
        onClick={() => {
          setAsking(true);
          focusSoon('last-capsule');
        }}
      >
        {t('today.end.stopped')}
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < current.start_date || day > today) {
      setError(t('today.end.choose_day', { date: formatDate(current.start_date) }));
      focusSoon('last-capsule');
      return;
    }
    setBusy(true);
    try {
      await setEndedOn(current, day, t('today.end.recorded', { date: formatDate(day) }));
      setAsking(false);
      setError(null);
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form finish" onSubmit={submit} noValidate aria-labelledby="finish-heading">
      <h3 id="finish-heading">{t('today.end.heading')}</h3>
      <p class="hint">{t('today.end.hint')}</p>
      <Field
        id="last-capsule"
        label={t('today.end.day')}
        type="date"
        value={day}
        min={current.start_date}
        max={today}
        error={error ?? undefined}
        onInput={(e: Event) => setDay((e.currentTarget as HTMLInputElement).value)}
      />
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('today.end.saving') : t('today.end.submit')}
        </button>
        <button type="button" class="button button-quiet" onClick={() => setAsking(false)}>
          {t('today.end.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Shown once the log reaches the total the patient entered, while the capsules go on (DOSE-13). */
export function TargetReachedCard({ reached, current }: { reached: TargetReached; current: Course }) {
  return (
    <section class="card card-attention" aria-labelledby="target-reached-heading" id="target-reached">
      <h2 id="target-reached-heading">{t('today.reached.heading')}</h2>
      <p>
        {reached.text}
        <SourceIds facts={reached.facts} />
      </p>
      <p class="muted">{t('today.reached.on', { date: formatDate(reached.on) })}</p>
      <FinishCourse current={current} />
    </section>
  );
}
