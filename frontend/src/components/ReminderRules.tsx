import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatDate, formatTime, wallClock } from '../lib/dates';
import { fieldErrorsFrom, focusSoon, messageFor } from '../lib/errors';
import { WEEKDAYS, reminderName } from '../lib/labels';
import { segmentOn, slotTime } from '../lib/plan';
import { announce, course, courseToday, currentPause } from '../store';
import type { ReminderRule, ReminderRulePatch } from '../types';
import { Checkbox, ErrorSummary, Field, SelectField, type Errors } from './Form';

const ORDER = [
  'dose',
  'dose_followup',
  'refill',
  'appointment',
  'fasting',
  'pickup_window',
  'mood_checkin',
  'final_pregnancy_test',
  'contraception_end',
];
const HAS_TIME = new Set([
  'dose',
  'appointment',
  'fasting',
  'pickup_window',
  'final_pregnancy_test',
  'contraception_end',
  'refill',
  'mood_checkin',
]);
const API_FIELDS: Record<string, string> = { time: 'time', lead_minutes: 'lead', delay_minutes: 'delay', lead_days: 'days', weekday: 'weekday' };
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function sortRules(rules: ReminderRule[]): ReminderRule[] {
  const rank = (rule: ReminderRule) => (ORDER.includes(rule.kind) ? ORDER.indexOf(rule.kind) : ORDER.length) * 10 + (rule.slot ?? 0);
  return [...rules].sort((a, b) => rank(a) - rank(b));
}

const present = (value: number | null | undefined): value is number => value !== null && value !== undefined;

function hasSettings(rule: ReminderRule): boolean {
  return HAS_TIME.has(rule.kind) || present(rule.lead_minutes) || present(rule.delay_minutes) || present(rule.lead_days) || present(rule.weekday);
}

function timeLabel(kind: string): string {
  if (kind === 'appointment' || kind === 'fasting') return 'The evening before, at';
  return 'Time';
}

/** The time this rule fires at when the patient has not chosen one. */
function defaultTime(rule: ReminderRule): string {
  if (rule.default_time) return rule.default_time;
  if (rule.kind === 'dose' && rule.slot) return slotTime(course.value, courseToday(), rule.slot) ?? '';
  return '';
}

function nextText(rule: ReminderRule): string {
  if (!rule.enabled) return 'Off';
  if (!rule.next && currentPause.value && (rule.kind === 'dose' || rule.kind === 'dose_followup')) {
    return 'Paused: none until your prescriber says restart';
  }
  if (!rule.next) return 'Nothing scheduled yet';
  const { date, time } = wallClock(rule.next.local_time);
  return `Next: ${formatDate(date)} at ${formatTime(time)}`;
}

/** Whole numbers in [min, max] typed into a field, or null. */
function wholeNumber(text: string, min: number, max: number): number | null {
  const value = Number(text);
  return text.trim() && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

function RuleEditor({ rule, onSaved }: { rule: ReminderRule; onSaved: (rule: ReminderRule) => void }) {
  const prefix = `rule-${rule.id}`;
  const [time, setTime] = useState(rule.time ?? defaultTime(rule));
  const [lead, setLead] = useState(rule.lead_minutes === null ? '' : String(rule.lead_minutes));
  const [delay, setDelay] = useState(rule.delay_minutes === null ? '' : String(rule.delay_minutes));
  const [days, setDays] = useState(present(rule.lead_days) ? String(rule.lead_days) : '');
  const [weekday, setWeekday] = useState(present(rule.weekday) ? String(rule.weekday) : '6');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const summaryId = `${prefix}-errors`;
  const hasTime = HAS_TIME.has(rule.kind);
  const hasLead = present(rule.lead_minutes) && rule.kind !== 'dose';
  const hasDelay = present(rule.delay_minutes);
  const hasDays = present(rule.lead_days);
  const hasWeekday = present(rule.weekday);

  const save = async (patch: ReminderRulePatch, message: string) => {
    setBusy(true);
    try {
      onSaved(await api.updateReminder(rule.id, patch));
      setErrors({});
      announce(message);
    } catch (error) {
      setErrors(fieldErrorsFrom(error, (field) => (API_FIELDS[field] ? `${prefix}-${API_FIELDS[field]}` : null)));
      focusSoon(summaryId);
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const found: Errors = {};
    const patch: ReminderRulePatch = {};
    if (hasTime && time !== (rule.time ?? defaultTime(rule))) {
      if (!TIME.test(time)) found[`${prefix}-time`] = 'Enter a time such as 08:00.';
      else patch.time = time;
    }
    if (hasLead) {
      const minutes = wholeNumber(lead, 0, 10080);
      if (minutes === null) found[`${prefix}-lead`] = 'Enter whole minutes from 0 to 10080 (7 days).';
      else patch.lead_minutes = minutes;
    }
    if (hasDelay) {
      const minutes = wholeNumber(delay, 5, 240);
      if (minutes === null) found[`${prefix}-delay`] = 'Enter whole minutes from 5 to 240.';
      else patch.delay_minutes = minutes;
    }
    if (hasDays) {
      const leadDays = wholeNumber(days, 1, 14);
      if (leadDays === null) found[`${prefix}-days`] = 'Enter whole days from 1 to 14.';
      else patch.lead_days = leadDays;
    }
    if (hasWeekday) patch.weekday = Number(weekday);
    setErrors(found);
    if (Object.keys(found).length) return focusSoon(summaryId);
    void save(patch, `${reminderName(rule, 2)} reminder saved.`);
  };

  return (
    <form class="form form-inline rule-form" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} id={summaryId} />
      <div class="field-pair">
        {hasTime && (
          <Field
            id={`${prefix}-time`}
            type="time"
            label={timeLabel(rule.kind)}
            value={time}
            error={errors[`${prefix}-time`]}
            onInput={(e) => setTime((e.currentTarget as HTMLInputElement).value)}
          />
        )}
        {hasLead && (
          <Field
            id={`${prefix}-lead`}
            type="number"
            inputMode="numeric"
            label="And before it starts"
            suffix="min"
            min={0}
            max={10080}
            value={lead}
            error={errors[`${prefix}-lead`]}
            onInput={(e) => setLead((e.currentTarget as HTMLInputElement).value)}
          />
        )}
        {hasDays && (
          <Field
            id={`${prefix}-days`}
            type="number"
            inputMode="numeric"
            label="Days before the next supply is due"
            suffix="days"
            min={1}
            max={14}
            value={days}
            error={errors[`${prefix}-days`]}
            onInput={(e) => setDays((e.currentTarget as HTMLInputElement).value)}
          />
        )}
        {hasWeekday && (
          <SelectField
            id={`${prefix}-weekday`}
            label="Day of the week"
            value={weekday}
            error={errors[`${prefix}-weekday`]}
            options={WEEKDAYS.map((label, index) => ({ value: String(index), label }))}
            onChange={setWeekday}
          />
        )}
        {hasDelay && (
          <Field
            id={`${prefix}-delay`}
            type="number"
            inputMode="numeric"
            label="Minutes after the dose time"
            suffix="min"
            min={5}
            max={240}
            value={delay}
            error={errors[`${prefix}-delay`]}
            onInput={(e) => setDelay((e.currentTarget as HTMLInputElement).value)}
          />
        )}
      </div>
      <div class="button-row">
        <button type="submit" class="button button-secondary button-small" disabled={busy}>
          Save<span class="visually-hidden"> {reminderName(rule, 2)}</span>
        </button>
        {hasTime && rule.time !== null && (
          <button type="button" class="button button-quiet button-small" disabled={busy} onClick={() => void save({ time: null }, 'Back to the usual time.')}>
            Use the usual time{defaultTime(rule) ? ` (${formatTime(defaultTime(rule)!)})` : ''}
          </button>
        )}
      </div>
    </form>
  );
}

/** Every reminder kind with an on/off switch and, when on, its time, lead or delay. */
export function ReminderRules() {
  const [rules, setRules] = useState<ReminderRule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [savedId, setSavedId] = useState<string | null>(null);
  const slotsPerDay = course.value ? (segmentOn(course.value, courseToday())?.doses_per_day ?? 1) : 1;

  const courseId = course.value?.id;

  useEffect(() => {
    // The current course's reminder settings; the agenda still lists what an earlier course has left to send.
    api.reminders(courseId).then(
      (list) => setRules(sortRules(list)),
      (failure: unknown) => setError(messageFor(failure)),
    );
  }, [courseId]);

  const replace = (updated: ReminderRule) => setRules((list) => list && list.map((r) => (r.id === updated.id ? updated : r)));

  const toggle = async (rule: ReminderRule, enabled: boolean) => {
    setError(null);
    setSavedId(null);
    replace({ ...rule, enabled });
    try {
      replace(await api.updateReminder(rule.id, { enabled }));
      announce(`${reminderName(rule, slotsPerDay)} reminder ${enabled ? 'on' : 'off'}.`);
    } catch (failure) {
      replace(rule);
      setError(messageFor(failure));
    }
  };

  if (error && !rules) return <p class="error">{error}</p>;
  if (!rules) return <p class="muted">Loading reminders…</p>;
  if (!rules.length) return <p class="muted">No reminders for this course yet.</p>;
  return (
    <div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <ul class="rules">
        {rules.map((rule) => (
          <li key={rule.id} data-kind={rule.kind}>
            <Checkbox
              id={`rule-${rule.id}-on`}
              label={reminderName(rule, slotsPerDay)}
              hint={nextText(rule)}
              checked={rule.enabled}
              onChange={(on) => void toggle(rule, on)}
            />
            {rule.enabled && hasSettings(rule) && (
              <details class="rule-details">
                <summary>
                  Change timing<span class="visually-hidden"> of {reminderName(rule, slotsPerDay)}</span>
                </summary>
                <RuleEditor
                  key={`${rule.time}|${rule.lead_minutes}|${rule.delay_minutes}|${rule.lead_days}|${rule.weekday}`}
                  rule={rule}
                  onSaved={(updated) => {
                    replace(updated);
                    setSavedId(updated.id);
                  }}
                />
                {savedId === rule.id && <p class="status-ok saved-note">Saved</p>}
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
