import { useState } from 'preact/hooks';
import { formatDate } from '../lib/dates';
import { appointmentKindLabel } from '../lib/labels';
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
      <p class="hint">Your prescriber decides the actual schedule: add these once they are booked, at the booked time.</p>
      {open.length === 0 ? (
        <p class="muted">Nothing more to suggest{booked ? ': everything suggested is already in your list' : ''}.</p>
      ) : (
        <ul class="suggestions">
          {shown.map((suggestion, index) => {
            const name = appointmentKindLabel(suggestion.kind);
            const label = `${name} on ${describeWhen(suggestion.starts_at)}`;
            return (
              <li key={`${suggestion.kind}-${suggestion.starts_at}`} class="suggestion" data-kind={suggestion.kind}>
                <p class="appointment-title">{suggestion.reason}</p>
                <p class="appointment-when">
                  {name} · {describeWhen(suggestion.starts_at)}
                  {suggestion.fasting && <span class="badge">fasting</span>}
                </p>
                {suggestion.pickup_window_ends && (
                  <p class="muted">Prescription pick-up window closes {formatDate(suggestion.pickup_window_ends)}.</p>
                )}
                <div class="button-row">
                  <button type="button" class="button button-small" disabled={busy !== null} onClick={() => void accept(suggestion, index)}>
                    Add<span class="visually-hidden"> {label}</span>
                  </button>
                  <button type="button" class="button button-secondary button-small" onClick={() => onEdit(suggestion)}>
                    Change first<span class="visually-hidden"> {label}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {!showAll && open.length > SHOWN_AT_FIRST && (
        <button type="button" class="button button-quiet" onClick={() => setShowAll(true)}>
          Show all {open.length} suggestions
        </button>
      )}
    </div>
  );
}
