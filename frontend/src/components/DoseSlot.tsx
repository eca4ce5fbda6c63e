import { useEffect, useRef, useState } from 'preact/hooks';
import { formatClock, formatTime } from '../lib/dates';
import type { DoseView } from '../lib/doses';
import { formatMg } from '../lib/format';

interface Props {
  dose: DoseView;
  withFood: boolean;
  onLog: (status: 'taken' | 'skipped') => Promise<void>;
  onUndo: (doseId: string) => Promise<void>;
  /** Opened from this dose's reminder: bring the slot into view and put focus on "Taken". */
  highlight?: boolean;
}

export function DoseSlot({ dose, withFood, onLog, onUndo, highlight = false }: Props) {
  const [busy, setBusy] = useState(false);
  const takenButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!highlight) return;
    // After the view's own focus move to its heading.
    const timer = setTimeout(() => takenButton.current?.focus(), 50);
    return () => clearTimeout(timer);
  }, [highlight]);
  const labelId = `dose-${dose.slot}-label`;
  const run = async (action: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const suffix = ` — dose ${dose.slot} at ${formatTime(dose.time)}`;
  return (
    <li class={`dose dose-${dose.status}${highlight ? ' dose-highlight' : ''}`} data-slot={dose.slot} data-status={dose.status} aria-labelledby={labelId}>
      <div class="dose-info">
        <p id={labelId} class="dose-title">
          <time dateTime={dose.time}>{formatTime(dose.time)}</time> · {formatMg(dose.mg)}
        </p>
        {withFood && <p class="dose-note">Take with a meal</p>}
      </div>
      {dose.status === 'pending' ? (
        <div class="dose-actions">
          <button type="button" class="button" ref={takenButton} disabled={busy} onClick={() => run(() => onLog('taken'))}>
            Taken<span class="visually-hidden">{suffix}</span>
          </button>
          <button type="button" class="button button-secondary" disabled={busy} onClick={() => run(() => onLog('skipped'))}>
            Skipped<span class="visually-hidden">{suffix}</span>
          </button>
          {dose.syncing && <span class="badge badge-pending">Waiting to sync</span>}
        </div>
      ) : (
        <div class="dose-actions">
          <p class="dose-status">
            {dose.status === 'taken' ? (dose.taken_at ? `Taken at ${formatClock(dose.taken_at)}` : 'Taken') : 'Skipped'}
            {dose.syncing && <span class="badge badge-pending">Waiting to sync</span>}
          </p>
          {dose.dose_id && (
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => run(() => onUndo(dose.dose_id!))}>
              Undo<span class="visually-hidden">{suffix}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}
