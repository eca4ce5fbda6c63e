import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { AppointmentForm, EMPTY_DRAFT, draftFrom, type AppointmentDraft } from '../components/AppointmentForm';
import { AppointmentList, describeWhen } from '../components/AppointmentList';
import { AppointmentSuggestions } from '../components/AppointmentSuggestions';
import { Disclaimer } from '../components/Disclaimer';
import { Link } from '../components/Link';
import { PlanNav } from '../components/PlanNav';
import { Section } from '../components/Section';
import { localDateTime } from '../lib/dates';
import { focusSoon, messageFor } from '../lib/errors';
import { language, t } from '../i18n';
import { appointmentKindLabel } from '../lib/kinds';
import { currentSearch } from '../router';
import { announce, course, refreshTimeline, refreshToday } from '../store';
import type { Appointment, AppointmentInput, AppointmentSuggestion } from '../types';

type FormState = { mode: 'add'; draft: AppointmentDraft; version: number } | { mode: 'edit'; appointment: Appointment };

export function Appointments() {
  const current = course.value;
  const [appointments, setAppointments] = useState<Appointment[] | null>(null);
  const [suggestions, setSuggestions] = useState<AppointmentSuggestion[] | null>(null);
  const [form, setForm] = useState<FormState>({ mode: 'add', draft: EMPTY_DRAFT, version: 0 });
  const [error, setError] = useState<string | null>(null);
  const highlightId = new URLSearchParams(currentSearch.value).get('id');

  /** Today's "Coming up" and the Timeline show booked appointments in place of the usual dates. */
  const refreshDates = () => Promise.all([refreshToday(), refreshTimeline()]).catch(() => undefined);

  const load = async () => {
    if (!current) return;
    try {
      const [list, suggested] = await Promise.all([api.appointments(current.id), api.suggestedAppointments(current.id)]);
      setAppointments(list);
      setSuggestions(suggested);
      setError(null);
    } catch (failure) {
      setError(messageFor(failure));
    }
  };
  useEffect(() => {
    void load();
  }, [current?.id]);

  if (!current) return null;

  const resetForm = () => setForm((f) => ({ mode: 'add', draft: EMPTY_DRAFT, version: (f.mode === 'add' ? f.version : 0) + 1 }));

  const create = async (input: AppointmentInput) => {
    await api.createAppointment(current.id, input);
    announce(t('appointments.added', { name: appointmentKindLabel(input.kind), when: describeWhen(input.starts_at) }));
    resetForm();
    await load();
    void refreshDates();
  };

  const update = (appointment: Appointment) => async (input: AppointmentInput) => {
    await api.updateAppointment(current.id, appointment.id, input);
    announce(t('appointments.saved', { name: appointmentKindLabel(input.kind), when: describeWhen(input.starts_at) }));
    resetForm();
    await load();
    void refreshDates();
    focusSoon(`appointment-${appointment.id}`);
  };

  const remove = async (appointment: Appointment) => {
    try {
      await api.deleteAppointment(current.id, appointment.id);
      announce(t('appointments.deleted', { name: appointmentKindLabel(appointment.kind), when: describeWhen(appointment.starts_at) }));
      if (form.mode === 'edit' && form.appointment.id === appointment.id) resetForm();
      await load();
      void refreshDates();
      focusSoon('appointments-heading');
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  const accept = async (suggestion: AppointmentSuggestion) => {
    try {
      await create({ kind: suggestion.kind, starts_at: suggestion.starts_at, fasting: suggestion.fasting, place: null, notes: null });
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  const editFirst = (suggestion: AppointmentSuggestion) => {
    setForm((f) => ({ mode: 'add', draft: draftFrom(suggestion), version: (f.mode === 'add' ? f.version : 0) + 1 }));
    focusSoon('appointment-form-heading');
  };

  const edit = (appointment: Appointment) => {
    setForm({ mode: 'edit', appointment });
    focusSoon('appointment-form-heading');
  };

  return (
    <div class="view" lang={language.value}>
      <PlanNav />
      <header class="view-header">
        <h1 tabIndex={-1}>{t('appointments.title')}</h1>
        <p class="lede">
          {t('appointments.lede')} <Link href="/reminders">{t('appointments.lede.link')}</Link>
          {t('appointments.lede.end')}
        </p>
      </header>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Section id="appointments-heading" title={t('appointments.list.heading')}>
        {appointments ? (
          <AppointmentList appointments={appointments} now={localDateTime(current.timezone)} highlightId={highlightId} onEdit={edit} onDelete={remove} />
        ) : (
          !error && <p class="muted">{t('appointments.loading')}</p>
        )}
      </Section>
      <section class="card">
        {form.mode === 'edit' ? (
          <AppointmentForm
            key={`edit-${form.appointment.id}`}
            heading={t('appointments.form.edit')}
            initial={draftFrom(form.appointment)}
            submitLabel={t('appointments.form.save')}
            onSubmit={update(form.appointment)}
            onCancel={resetForm}
          />
        ) : (
          <AppointmentForm key={`add-${form.version}`} heading={t('appointments.form.add')} initial={form.draft} submitLabel={t('appointments.form.add.submit')} onSubmit={create} />
        )}
      </section>
      <Section id="suggested-heading" title={t('appointments.suggested.heading')}>
        {suggestions ? <AppointmentSuggestions suggestions={suggestions} onAccept={accept} onEdit={editFirst} /> : !error && <p class="muted">{t('appointments.suggested.loading')}</p>}
      </Section>
      <Disclaimer text={t('appointments.disclaimer')} />
    </div>
  );
}
