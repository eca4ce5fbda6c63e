import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatDate, formatTime, wallClock } from '../lib/dates';
import { fieldErrorsFrom, focusSoon, messageFor } from '../lib/errors';
import { t } from '../i18n';
import { REMINDER_KINDS, reminderName, weekdays } from '../lib/kinds';
import { segmentOn, slotTime } from '../lib/plan';
import { announce, course, courseToday, currentPause } from '../store';
import type { ReminderRule, ReminderRulePatch } from '../types';
import { Checkbox, ErrorSummary, Field, SelectField, type Errors } from './Form';

const ORDER = REMINDER_KINDS;const HAS_TIME = new Set([
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
  if (kind === 'appointment' || kind === 'fasting') return t('reminders.rule.evening_before');
  return t('reminders.rule.time');
}

/** The time this rule fires at when the patient has not chosen one. */
function defaultTime(rule: ReminderRule): string {
  if (rule.default_time) return rule.default_time;
  if (rule.kind === 'dose' && rule.slot) return slotTime(course.value, courseToday(), rule.slot) ?? '';
  return '';
}

function nextText(rule: ReminderRule): string {
  if (!rule.enabled) return t('reminders.rule.off');
  if (!rule.next && currentPause.value && (rule.kind === 'dose' || rule.kind === 'dose_followup')) {
    return t('reminders.rule.paused');
  }
  if (!rule.next) return t('reminders.rule.nothing');
  const { date, time } = wallClock(rule.next.local_time);
  return t('reminders.rule.next', { day: formatDate(date), time: formatTime(time) });
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
      if (!TIME.test(time)) found[`${prefix}-time`] = t('reminders.rule.time.error');
      else patch.time = time;
    }
    if (hasLead) {
      const minutes = wholeNumber(lead, 0, 10080);
      if (minutes === null) found[`${prefix}-lead`] = t('reminders.rule.lead.error');
      else patch.lead_minutes = minutes;
    }
    if (hasDelay) {
      const minutes = wholeNumber(delay, 5, 240);
      if (minutes === null) found[`${prefix}-delay`] = t('reminders.rule.delay.error');
      else patch.delay_minutes = minutes;
    }
    if (hasDays) {
      const leadDays = wholeNumber(days, 1, 14);
      if (leadDays === null) found[`${prefix}-days`] = t('reminders.rule.days.error');
      else patch.lead_days = leadDays;
    }
    if (hasWeekday) patch.weekday = Number(weekday);
    setErrors(found);
    if (Object.keys(found).length) return focusSoon(summaryId);
    void save(patch, t('reminders.rule.saved', { name: reminderName(rule, 2) }));
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
            label={t('reminders.rule.lead')}
            suffix={t('reminders.rule.min')}
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
            label={t('reminders.rule.days')}
            suffix={t('reminders.rule.days.unit')}
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
            label={t('reminders.rule.weekday')}
            value={weekday}
            error={errors[`${prefix}-weekday`]}
            options={weekdays().map((label, index) => ({ value: String(index), label }))}
            onChange={setWeekday}
          />
        )}
        {hasDelay && (
          <Field
            id={`${prefix}-delay`}
            type="number"
            inputMode="numeric"
            label={t('reminders.rule.delay')}
            suffix={t('reminders.rule.min')}
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
          {t('reminders.save')}
          <span class="visually-hidden"> {reminderName(rule, 2)}</span>
        </button>
        {hasTime && rule.time !== null && (
          <button type="button" class="button button-quiet button-small" disabled={busy} onClick={() => void save({ time: null }, t('reminders.rule.usual.done'))}>
            {t('reminders.rule.usual')}
            {defaultTime(rule) ? ` (${formatTime(defaultTime(rule)!)})` : ''}
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
      announce(t(enabled ? 'reminders.rule.turned_on' : 'reminders.rule.turned_off', { name: reminderName(rule, slotsPerDay) }));
    } catch (failure) {
      replace(rule);
      setError(messageFor(failure));
    }
  };

  if (error && !rules) return <p class="error">{error}</p>;
  if (!rules) return <p class="muted">{t('reminders.rules.loading')}</p>;
  if (!rules.length) return <p class="muted">{t('reminders.rules.none')}</p>;
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
                  {t('reminders.rule.change')}
                  <span class="visually-hidden">{t('reminders.rule.change.of', { name: reminderName(rule, slotsPerDay) })}</span>
                </summary>
                <RuleEditor
                  key={`${rule.time}|${rule.lead_minutes}|${rule.delay_minutes}|${rule.lead_days}|${rule.weekday}`}
                  rule={rule}
                  onSaved={(updated) => {
                    replace(updated);
                    setSavedId(updated.id);
                  }}
                />
                {savedId === rule.id && <p class="status-ok saved-note">{t('reminders.saved')}</p>}
              </details>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
