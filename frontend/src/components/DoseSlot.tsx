import { useEffect, useRef, useState } from 'preact/hooks';
import { formatClock, formatTime } from '../lib/dates';
import type { DoseView } from '../lib/doses';
import { formatMg } from '../lib/format';
import { t } from '../i18n';

/** Ticking a slot this long after its time asks when it was really taken. */
export const LATE_AFTER_MINUTES = 120;

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export type SlotTiming = 'upcoming' | 'due' | 'overdue';

interface Props {
  dose: DoseView;
  withFood: boolean;
  /** Minutes since the slot's time (negative before it); null when the day shown is not today. */
  minutesLate: number | null;
  /** `at`: "HH:MM" the patient says it was taken; null = now. */
  onLog: (status: 'taken' | 'skipped', at: string | null) => Promise<void>;
  onUndo: (doseId: string) => Promise<void>;
  /** Corrects the time a logged dose was taken ("HH:MM" on the dose's day). */
  onCorrect: (doseId: string, at: string) => Promise<void>;
  /** Opened from this dose's reminder: bring the slot into view and put focus on "Taken". */
  highlight?: boolean;
}

export function timingOf(minutesLate: number | null): SlotTiming {
  if (minutesLate === null || minutesLate < 0) return 'upcoming';
  return minutesLate > 30 ? 'overdue' : 'due';
}

/** "HH:MM" of an ISO instant in this device's zone (the value a time input takes). */
function clockValue(iso: string): string {
  const at = new Date(iso);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** "HH:MM" `minutes` after `hhmm` on the same day (the course's wall clock; capped at 23:59). */
function clockAfter(hhmm: string, minutes: number): string {
  const total = Math.min(24 * 60 - 1, Math.max(0, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5)) + minutes));
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

/** A time of day the dose was taken, checked before it is saved ("Save time"); `focus` puts focus in it. */
function TimeForm({ id, label, initial, focus = false, onSubmit }: {
  id: string;
  label: string;
  initial: string;
  focus?: boolean;
  onSubmit: (at: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (focus) input.current?.focus();
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (!CLOCK.test(value)) return setError(t('today.dose.enter_time'));
    onSubmit(value);
  };
  return (
    <form class="time-form" onSubmit={submit} noValidate>
      <label for={id}>{label}</label>
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div class="input-row">
        <input
          ref={input}
          id={id}
          type="time"
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="button button-secondary">
          {t('today.dose.save_time')}
        </button>
      </div>
    </form>
  );
}

function CancelButton({ onCancel }: { onCancel: () => void }) {
  return (
    <button type="button" class="button button-quiet" onClick={onCancel}>
      {t('today.dose.cancel')}
    </button>
  );
}

/**
 * A tick long after the planned time: "Just now" is the main answer (what a late tick usually means),
 * "At … as planned" and a time picker (starting at now, never at the planned time) sit beside it.
 */
function LateQuestion({ id, planned, now, onAt, onNow, onCancel }: {
  id: string;
  planned: string;
  now: string;
  onAt: (at: string) => void;
  onNow: () => void;
  onCancel: () => void;
}) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div class="time-question" role="group" aria-labelledby={`${id}-question`}>
      <p id={`${id}-question`} class="question">
        {t('today.dose.when')}
      </p>
      <div class="button-row">
        <button type="button" class="button" ref={first} onClick={onNow}>
          {t('today.dose.just_now')}
        </button>
        <button type="button" class="button button-secondary" onClick={() => onAt(planned)}>
          {t('today.dose.as_planned', { time: formatTime(planned) })}
        </button>
      </div>
      <TimeForm id={id} label={t('today.dose.other_time')} initial={now} onSubmit={onAt} />
      <CancelButton onCancel={onCancel} />
    </div>
  );
}

/** Correcting the time of a dose already logged. */
function CorrectTime({ id, initial, onSubmit, onCancel }: {
  id: string;
  initial: string;
  onSubmit: (at: string) => void;
  onCancel: () => void;
}) {
  return (
    <div class="time-question">
      <TimeForm id={id} label={t('today.dose.when')} initial={initial} focus onSubmit={onSubmit} />
      <CancelButton onCancel={onCancel} />
    </div>
  );
}

export function DoseSlot({ dose, withFood, minutesLate, onLog, onUndo, onCorrect, highlight = false }: Props) {
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState<'late' | 'correct' | null>(null);
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
    setAsking(null);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const time = formatTime(dose.time);
  const suffix = t('today.dose.which', { slot: dose.slot, time });
  const timing = dose.status === 'pending' ? timingOf(minutesLate) : null;
  const taken = () => {
    if (minutesLate !== null && minutesLate > LATE_AFTER_MINUTES) setAsking('late');
    else void run(() => onLog('taken', null));
  };
  return (
    <li
      class={`dose dose-${dose.status}${timing ? ` dose-${timing}` : ''}${highlight ? ' dose-highlight' : ''}`}
      data-slot={dose.slot}
      data-status={dose.status}
      data-timing={timing ?? undefined}
      aria-labelledby={labelId}
    >
      <div class="dose-info">
        <p id={labelId} class="dose-title">
          <time dateTime={dose.time}>{time}</time> · {formatMg(dose.mg)}
          {timing === 'overdue' && <span class="badge badge-overdue">{t('today.dose.overdue')}</span>}
          {timing === 'due' && <span class="badge badge-due">{t('today.dose.due')}</span>}
        </p>
        {withFood && <p class="dose-note">{t('today.dose.with_meal')}</p>}
      </div>
      {asking === 'late' ? (
        <LateQuestion
          id={`dose-${dose.slot}-when`}
          planned={dose.time}
          now={clockAfter(dose.time, minutesLate ?? 0)}
          onAt={(at) => void run(() => onLog('taken', at))}
          onNow={() => void run(() => onLog('taken', null))}
          onCancel={() => setAsking(null)}
        />
      ) : asking === 'correct' && dose.dose_id ? (
        <CorrectTime
          id={`dose-${dose.slot}-correct`}
          initial={dose.taken_at ? clockValue(dose.taken_at) : dose.time}
          onSubmit={(at) => void run(() => onCorrect(dose.dose_id!, at))}
          onCancel={() => setAsking(null)}
        />
      ) : dose.status === 'pending' ? (
        <div class="dose-actions">
          <button type="button" class="button" ref={takenButton} disabled={busy} onClick={taken}>
            {t('today.dose.taken')}<span class="visually-hidden">{suffix}</span>
          </button>
          <button type="button" class="button button-secondary" disabled={busy} onClick={() => run(() => onLog('skipped', null))}>
            {t('today.dose.skipped')}<span class="visually-hidden">{suffix}</span>
          </button>
          {dose.syncing && <span class="badge badge-pending">{t('today.dose.syncing')}</span>}
        </div>
      ) : (
        <div class="dose-actions">
          <p class="dose-status">
            {dose.status === 'taken'
              ? dose.taken_at
                ? t('today.dose.taken_at', { time: formatClock(dose.taken_at) })
                : t('today.dose.taken')
              : t('today.dose.skipped')}
            {dose.syncing && <span class="badge badge-pending">{t('today.dose.syncing')}</span>}
          </p>
          {dose.dose_id && dose.status === 'taken' && (
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => setAsking('correct')}>
              {t('today.dose.change_time')}<span class="visually-hidden">{suffix}</span>
            </button>
          )}
          {dose.dose_id && (
            <button type="button" class="button button-quiet" disabled={busy} onClick={() => run(() => onUndo(dose.dose_id!))}>
              {t('today.dose.undo')}<span class="visually-hidden">{suffix}</span>
            </button>
          )}
        </div>
      )}
    </li>
  );
}
