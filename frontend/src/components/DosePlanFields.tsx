import type { DosePlanSegment } from '../types';
import { Choices, Field, type Errors } from './Form';

export interface PlanDraft {
  mode: 'daily' | 'cycle' | 'per_dose';
  dailyMg: string;
  dose1Mg: string;
  dose2Mg: string;
  cycleA: string;
  cycleB: string;
  dosesPerDay: '1' | '2';
  time1: string;
  time2: string;
}

export const EMPTY_PLAN: PlanDraft = { mode: 'daily', dailyMg: '', dose1Mg: '', dose2Mg: '', cycleA: '', cycleB: '', dosesPerDay: '1', time1: '08:00', time2: '20:00' };

export function draftFromSegment(segment: DosePlanSegment | null): PlanDraft {
  if (!segment) return EMPTY_PLAN;
  const cycle = segment.cycle_mg ?? [];
  const doses = segment.doses ?? [];
  return {
    mode: cycle.length ? 'cycle' : doses.length ? 'per_dose' : 'daily',
    dailyMg: segment.daily_mg ? String(segment.daily_mg) : '',
    dose1Mg: doses[0] ? String(doses[0].mg) : '',
    dose2Mg: doses[1] ? String(doses[1].mg) : '',
    cycleA: cycle[0] ? String(cycle[0]) : '',
    cycleB: cycle[1] ? String(cycle[1]) : '',
    dosesPerDay: segment.doses_per_day === 2 ? '2' : '1',
    time1: segment.dose_times[0] ?? '08:00',
    time2: segment.dose_times[1] ?? '20:00',
  };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function mgError(raw: string, label: string): string | undefined {
  const mg = Number(raw);
  if (!raw.trim() || !Number.isFinite(mg) || mg <= 0) return `Enter ${label} in mg, for example 40.`;
  if (mg > 300) return `${label[0].toUpperCase()}${label.slice(1)} looks too high; check the number on your prescription.`;
  return undefined;
}

export function validatePlan(draft: PlanDraft, prefix: string): Errors {
  const errors: Errors = {};
  if (draft.mode === 'daily') errors[`${prefix}-daily`] = mgError(draft.dailyMg, 'the daily dose');
  else if (draft.mode === 'per_dose') {
    errors[`${prefix}-dose-1`] = mgError(draft.dose1Mg, 'the first dose');
    errors[`${prefix}-dose-2`] = mgError(draft.dose2Mg, 'the second dose');
  } else {
    errors[`${prefix}-cycle-a`] = mgError(draft.cycleA, 'the first day’s dose');
    errors[`${prefix}-cycle-b`] = mgError(draft.cycleB, 'the second day’s dose');
  }
  if (!TIME.test(draft.time1)) errors[`${prefix}-time-1`] = 'Enter the dose time as HH:MM, for example 08:00.';
  if (draft.dosesPerDay === '2' || draft.mode === 'per_dose') {
    if (!TIME.test(draft.time2)) errors[`${prefix}-time-2`] = 'Enter the second dose time as HH:MM, for example 20:00.';
    else if (draft.time2 <= draft.time1) errors[`${prefix}-time-2`] = 'The second dose time must be later than the first.';
  }
  return errors;
}

export function segmentFrom(draft: PlanDraft, fromDate: string): DosePlanSegment {
  if (draft.mode === 'per_dose') {
    const doses = [
      { time: draft.time1, mg: Number(draft.dose1Mg) },
      { time: draft.time2, mg: Number(draft.dose2Mg) },
    ];
    return { from_date: fromDate, doses_per_day: 2, dose_times: [draft.time1, draft.time2], daily_mg: doses[0].mg + doses[1].mg, doses };
  }
  const dosesPerDay = draft.dosesPerDay === '2' ? 2 : 1;
  const times = dosesPerDay === 2 ? [draft.time1, draft.time2] : [draft.time1];
  return draft.mode === 'daily'
    ? { from_date: fromDate, daily_mg: Number(draft.dailyMg), doses_per_day: dosesPerDay, dose_times: times }
    : { from_date: fromDate, cycle_mg: [Number(draft.cycleA), Number(draft.cycleB)], doses_per_day: dosesPerDay, dose_times: times };
}

interface Props {
  prefix: string;
  draft: PlanDraft;
  errors: Errors;
  onChange: (draft: PlanDraft) => void;
}

/** The dose plan questions: amount per day (or an alternating pair), doses per day and their times. */
export function DosePlanFields({ prefix, draft, errors, onChange }: Props) {
  const set = (patch: Partial<PlanDraft>) => onChange({ ...draft, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const twice = draft.dosesPerDay === '2' || draft.mode === 'per_dose';
  // A plain call, not a component: a component made inside render would remount (and lose focus) each keystroke.
  const mgField = (id: string, label: string, field: 'dailyMg' | 'dose1Mg' | 'dose2Mg' | 'cycleA' | 'cycleB') => (
    <Field
      id={`${prefix}-${id}`}
      label={label}
      type="number"
      inputMode="decimal"
      min={1}
      step="any"
      suffix="mg"
      value={draft[field]}
      error={errors[`${prefix}-${id}`]}
      onInput={(e) => set({ [field]: value(e) })}
    />
  );
  return (
    <fieldset class="group">
      <legend>Dose plan</legend>
      <p class="hint">Copy it from your prescription label.</p>
      <Choices
        name={`${prefix}-mode`}
        legend="How much do you take?"
        value={draft.mode}
        onChange={(mode) => set({ mode })}
        choices={[
          { value: 'daily', label: 'The same amount every day' },
          { value: 'per_dose', label: 'A different amount for each dose', hint: 'For example 40 mg in the morning and 20 mg in the evening' },
          { value: 'cycle', label: 'Alternating days', hint: 'For example 40 mg one day, 80 mg the next' },
        ]}
      />
      {draft.mode === 'daily' ? (
        mgField('daily', 'Milligrams per day (all doses together)', 'dailyMg')
      ) : draft.mode === 'per_dose' ? (
        <div class="field-pair">
          {mgField('dose-1', 'First dose (mg)', 'dose1Mg')}
          {mgField('dose-2', 'Second dose (mg)', 'dose2Mg')}
        </div>
      ) : (
        <div class="field-pair">
          {mgField('cycle-a', 'First day (mg)', 'cycleA')}
          {mgField('cycle-b', 'Second day (mg)', 'cycleB')}
        </div>
      )}
      {draft.mode !== 'per_dose' && (
        <Choices
          name={`${prefix}-per-day`}
          legend="Doses per day"
          value={draft.dosesPerDay}
          onChange={(dosesPerDay) => set({ dosesPerDay })}
          choices={[
            { value: '1', label: 'Once a day' },
            { value: '2', label: 'Twice a day' },
          ]}
        />
      )}
      <div class="field-pair">
        <Field
          id={`${prefix}-time-1`}
          label={twice ? 'First dose time' : 'Dose time'}
          type="time"
          value={draft.time1}
          error={errors[`${prefix}-time-1`]}
          onInput={(e) => set({ time1: value(e) })}
        />
        {twice && (
          <Field
            id={`${prefix}-time-2`}
            label="Second dose time"
            type="time"
            value={draft.time2}
            error={errors[`${prefix}-time-2`]}
            onInput={(e) => set({ time2: value(e) })}
          />
        )}
      </div>
    </fieldset>
  );
}
