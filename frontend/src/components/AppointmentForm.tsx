import { useState } from 'preact/hooks';
import { fieldErrorsFrom, focusSoon } from '../lib/errors';
import { t } from '../i18n';
import { appointmentKinds } from '../lib/kinds';
import type { AppointmentInput, AppointmentKind } from '../types';
import { Checkbox, Choices, ErrorSummary, Field, TextAreaField, type Errors } from './Form';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const SUMMARY_ID = 'appointment-errors';

export interface AppointmentDraft {
  kind: AppointmentKind | null;
  date: string;
  time: string;
  place: string;
  notes: string;
  fasting: boolean;
}

export const EMPTY_DRAFT: AppointmentDraft = { kind: null, date: '', time: '09:00', place: '', notes: '', fasting: false };

export function draftFrom(input: Pick<AppointmentInput, 'kind' | 'starts_at' | 'fasting'> & Partial<AppointmentInput>): AppointmentDraft {
  return {
    kind: input.kind,
    date: input.starts_at.slice(0, 10),
    time: input.starts_at.slice(11, 16),
    place: input.place ?? '',
    notes: input.notes ?? '',
    fasting: input.fasting,
  };
}

function toId(field: string): string | null {
  if (field === 'kind') return 'appt-kind-dermatologist_visit';
  if (field === 'starts_at') return 'appt-date';
  if (field === 'place') return 'appt-place';
  if (field === 'notes') return 'appt-notes';
  if (field === 'fasting') return 'appt-fasting';
  return null;
}

function validate(draft: AppointmentDraft): Errors {
  const found: Errors = {};
  if (!draft.kind) found['appt-kind-dermatologist_visit'] = t('appointments.form.kind.error');
  if (!DATE.test(draft.date)) found['appt-date'] = t('appointments.form.date.error');
  if (!TIME.test(draft.time)) found['appt-time'] = t('appointments.form.time.error');
  return found;
}

interface Props {
  heading: string;
  initial: AppointmentDraft;
  submitLabel: string;
  onSubmit: (input: AppointmentInput) => Promise<void>;
  onCancel?: () => void;
}

/** Kind, local date and time, place, notes and fasting, with the error summary pattern used at set-up. */
export function AppointmentForm({ heading, initial, submitLabel, onSubmit, onCancel }: Props) {
  const [draft, setDraft] = useState<AppointmentDraft>(initial);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AppointmentDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found = validate(draft);
    setErrors(found);
    if (Object.keys(found).length) return focusSoon(SUMMARY_ID);
    setBusy(true);
    try {
      await onSubmit({
        kind: draft.kind!,
        starts_at: `${draft.date}T${draft.time}`,
        place: draft.place.trim() || null,
        notes: draft.notes.trim() || null,
        fasting: draft.fasting,
      });
    } catch (error) {
      setErrors(fieldErrorsFrom(error, toId));
      focusSoon(SUMMARY_ID);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" id="appointment-form" onSubmit={submit} noValidate aria-labelledby="appointment-form-heading">
      <h2 id="appointment-form-heading" tabIndex={-1}>
        {heading}
      </h2>
      <ErrorSummary errors={errors} id={SUMMARY_ID} />
      <Choices
        name="appt-kind"
        legend={t('appointments.form.kind')}
        value={draft.kind}
        error={errors['appt-kind-dermatologist_visit']}
        choices={appointmentKinds()}
        onChange={(kind) => set({ kind, fasting: kind === 'blood_test' ? draft.fasting : false })}
      />
      <div class="field-pair">
        <Field id="appt-date" type="date" label={t('appointments.form.date')} value={draft.date} error={errors['appt-date']} onInput={(e) => set({ date: (e.currentTarget as HTMLInputElement).value })} />
        <Field id="appt-time" type="time" label={t('appointments.form.time')} value={draft.time} error={errors['appt-time']} onInput={(e) => set({ time: (e.currentTarget as HTMLInputElement).value })} />
      </div>
      <Field
        id="appt-place"
        label={t('appointments.form.place')}
        value={draft.place}
        maxLength={200}
        error={errors['appt-place']}
        onInput={(e) => set({ place: (e.currentTarget as HTMLInputElement).value })}
      />
      <TextAreaField id="appt-notes" label={t('appointments.form.notes')} value={draft.notes} maxLength={2000} error={errors['appt-notes']} onInput={(notes) => set({ notes })} />
      {draft.kind === 'blood_test' && (
        <Checkbox
          id="appt-fasting"
          label={t('appointments.form.fasting')}
          hint={t('appointments.form.fasting.hint')}
          checked={draft.fasting}
          error={errors['appt-fasting']}
          onChange={(fasting) => set({ fasting })}
        />
      )}
      <div class="button-row">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? t('appointments.saving') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" class="button button-quiet" onClick={onCancel}>
            {t('appointments.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
