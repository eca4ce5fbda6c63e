import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { formatDate } from '../lib/dates';
import { focusSoon, messageFor } from '../lib/errors';
import { Field } from './Form';

/** A write that can fail: `run` marks it busy, keeps its error message to show, and says if it worked. */
export function useSaving() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (task: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    try {
      await task();
      setError(null);
      return true;
    } catch (e) {
      setError(messageFor(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

interface DayFormProps {
  id: string;
  heading: string;
  label: string;
  hint?: string;
  initial: string;
  /** The earliest day allowed (YYYY-MM-DD). */
  min: string;
  submitLabel: string;
  onSubmit: (day: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for one day (from `min` on) and saves it; a day before `min`, or none, is explained at the field. */
export function DayForm({ id, heading, label, hint, initial, min, submitLabel, onSubmit, onCancel }: DayFormProps) {
  const [day, setDay] = useState(initial);
  const saving = useSaving();
  const submit = async (event: Event) => {
    event.preventDefault();
    const problem = !/^\d{4}-\d{2}-\d{2}$/.test(day) ? t('today.day.choose') : day < min ? t('today.day.from', { date: formatDate(min) }) : null;
    if (problem) {
      saving.setError(problem);
      focusSoon(id);
    } else if (!(await saving.run(() => onSubmit(day)))) {
      focusSoon(id);
    }
  };
  return (
    <form class="form day-form" onSubmit={submit} noValidate aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{heading}</h3>
      <Field
        id={id}
        label={label}
        hint={hint}
        type="date"
        value={day}
        min={min}
        error={saving.error ?? undefined}
        onInput={(e: Event) => setDay((e.currentTarget as HTMLInputElement).value)}
      />
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={saving.busy}>
          {saving.busy ? t('today.end.saving') : submitLabel}
        </button>
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t('today.end.cancel')}
        </button>
      </div>
    </form>
  );
}
