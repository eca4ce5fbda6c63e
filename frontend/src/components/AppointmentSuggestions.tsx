import { useState } from 'preact/hooks';
import { formatDate } from '../lib/dates';
import { t } from '../i18n';
import { appointmentKindLabel } from '../lib/kinds';
import type { AppointmentSuggestion } from '../types';
import { describeWhen } from './AppointmentList';

const SHOWN_AT_FIRST = 4;

interface Props {
  suggestions: AppointmentSuggestion[];
  onAccept: (suggestion: AppointmentSuggestion) => Promise<void>;
  onEdit: (suggestion: AppointmentSuggestion) => void;
}

/** The programme's monitoring rhythm, to add as it is or after changing the date and time. */
export function AppointmentSuggestions({ suggestions, onAccept, onEdit }: Props) {
  const [showAll, setShowAll] = useState(false);
  const [busy, setBusy] = useState<number | null>(null);
  const open = suggestions.filter((s) => !s.already_booked);
  const booked = suggestions.length - open.length;
  const shown = showAll ? open : open.slice(0, SHOWN_AT_FIRST);

  const accept = async (suggestion: AppointmentSuggestion, index: number) => {
    setBusy(index);
    try {
      await onAccept(suggestion);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <p class="hint">{t('appointments.suggested.hint')}</p>
      {open.length === 0 ? (
        <p class="muted">{t('appointments.suggested.none', { booked: booked ? 'yes' : 'no' })}</p>
      ) : (
        <ul class="suggestions">
          {shown.map((suggestion, index) => {
            const name = appointmentKindLabel(suggestion.kind);
            const label = t('appointments.which', { name, when: describeWhen(suggestion.starts_at) });
            return (
              <li key={`${suggestion.kind}-${suggestion.starts_at}`} class="suggestion" data-kind={suggestion.kind}>
                <p class="appointment-title">{suggestion.reason}</p>
                <p class="appointment-when">
                  {name} · {describeWhen(suggestion.starts_at)}
                  {suggestion.fasting && <span class="badge">{t('appointments.fasting')}</span>}
                </p>
                {suggestion.pickup_window_ends && (
                  <p class="muted">{t('appointments.suggested.pickup', { day: formatDate(suggestion.pickup_window_ends) })}</p>
                )}
                <div class="button-row">
                  <button type="button" class="button button-small" disabled={busy !== null} onClick={() => void accept(suggestion, index)}>
                    {t('appointments.suggested.add')}
                    <span class="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" class="button button-secondary button-small" onClick={() => onEdit(suggestion)}>
                    {t('appointments.suggested.change')}
                    <span class="visually-hidden"> {label}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {!showAll && open.length > SHOWN_AT_FIRST && (
        <button type="button" class="button button-quiet" onClick={() => setShowAll(true)}>
          {t('appointments.suggested.all', { count: open.length })}
        </button>
      )}
    </div>
  );
}
