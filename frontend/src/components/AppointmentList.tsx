import { useEffect, useState } from 'preact/hooks';
import { formatDate, formatTime } from '../lib/dates';
import { focusSoon } from '../lib/errors';
import { t } from '../i18n';
import { appointmentKindLabel } from '../lib/kinds';
import type { Appointment } from '../types';

export function describeWhen(startsAt: string): string {
  return t('appointments.when', { day: formatDate(startsAt.slice(0, 10)), time: formatTime(startsAt.slice(11, 16)) });
}

interface ItemProps {
  appointment: Appointment;
  highlighted: boolean;
  onEdit: (appointment: Appointment) => void;
  onDelete: (appointment: Appointment) => Promise<void>;
}

function Item({ appointment, highlighted, onEdit, onDelete }: ItemProps) {
  const [confirming, setConfirming] = useState(false);
  const name = appointmentKindLabel(appointment.kind);
  const when = describeWhen(appointment.starts_at);
  const confirmId = `appt-delete-${appointment.id}`;
  return (
    <li id={`appointment-${appointment.id}`} class={highlighted ? 'appointment appointment-highlight' : 'appointment'} data-kind={appointment.kind} tabIndex={-1}>
      <p class="appointment-title">
        {name}
        {appointment.fasting && <span class="badge">{t('appointments.fasting')}</span>}
      </p>
      <p class="appointment-when">
        {when}
        {appointment.place && ` · ${appointment.place}`}
      </p>
      {appointment.notes && <p class="muted appointment-notes">{appointment.notes}</p>}
      {confirming ? (
        <div class="confirm confirm-danger" id={confirmId} tabIndex={-1} role="group" aria-labelledby={`${confirmId}-text`}>
          <p id={`${confirmId}-text`}>
            {t('appointments.delete.question', { kind: appointment.kind, when })}
          </p>
          <button type="button" class="button button-danger" onClick={() => void onDelete(appointment)}>
            {t('appointments.delete')}
          </button>
          <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
            {t('appointments.keep')}
          </button>
        </div>
      ) : (
        <div class="button-row">
          <button type="button" class="button button-secondary button-small" onClick={() => onEdit(appointment)}>
            {t('appointments.edit')}
            <span class="visually-hidden"> {t('appointments.which', { name, when })}</span>
          </button>
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => {
              setConfirming(true);
              focusSoon(confirmId);
            }}
          >
            {t('appointments.delete')}
            <span class="visually-hidden"> {t('appointments.which', { name, when })}</span>
          </button>
        </div>
      )}
    </li>
  );
}

interface ListProps {
  appointments: Appointment[];
  now: string;
  highlightId: string | null;
  onEdit: (appointment: Appointment) => void;
  onDelete: (appointment: Appointment) => Promise<void>;
}

/** Upcoming appointments first (soonest first); past ones folded away. */
export function AppointmentList({ appointments, now, highlightId, onEdit, onDelete }: ListProps) {
  const upcoming = appointments.filter((a) => a.starts_at.slice(0, 16) >= now);
  const past = appointments.filter((a) => a.starts_at.slice(0, 16) < now).reverse();
  const highlightPast = past.some((a) => a.id === highlightId);

  useEffect(() => {
    if (!highlightId) return;
    const element = document.getElementById(`appointment-${highlightId}`);
    element?.scrollIntoView({ block: 'center' });
  }, [highlightId, appointments.length]);

  const render = (list: Appointment[]) => (
    <ul class="appointments">
      {list.map((a) => (
        <Item key={a.id} appointment={a} highlighted={a.id === highlightId} onEdit={onEdit} onDelete={onDelete} />
      ))}
    </ul>
  );
  return (
    <div>
      {upcoming.length ? render(upcoming) : <p class="muted">{t('appointments.none')}</p>}
      {past.length > 0 && (
        <details class="past-appointments" open={highlightPast}>
          <summary>{t('appointments.past', { count: past.length })}</summary>
          {render(past)}
        </details>
      )}
    </div>
  );
}
