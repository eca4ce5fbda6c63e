import { t } from '../i18n';
import type { DosePlanSegment, Product, Programme } from '../types';
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

/** Which amount an error is about: the `which` of the setup.error.mg messages. */
type Amount = 'daily' | 'dose1' | 'dose2' | 'day1' | 'day2';

function mgError(raw: string, which: Amount): string | undefined {
  const mg = Number(raw);
  if (!raw.trim() || !Number.isFinite(mg) || mg <= 0) return t('setup.error.mg', { which });
  if (mg > 300) return t('setup.error.mg_high', { which });
  return undefined;
}

export function validatePlan(draft: PlanDraft, prefix: string): Errors {
  const errors: Errors = {};
  if (draft.mode === 'daily') errors[`${prefix}-daily`] = mgError(draft.dailyMg, 'daily');
  else if (draft.mode === 'per_dose') {
    errors[`${prefix}-dose-1`] = mgError(draft.dose1Mg, 'dose1');
    errors[`${prefix}-dose-2`] = mgError(draft.dose2Mg, 'dose2');
  } else {
    errors[`${prefix}-cycle-a`] = mgError(draft.cycleA, 'day1');
    errors[`${prefix}-cycle-b`] = mgError(draft.cycleB, 'day2');
  }
  if (!TIME.test(draft.time1)) errors[`${prefix}-time-1`] = t('setup.error.time1');
  if (draft.dosesPerDay === '2' || draft.mode === 'per_dose') {
    if (!TIME.test(draft.time2)) errors[`${prefix}-time-2`] = t('setup.error.time2');
    else if (draft.time2 <= draft.time1) errors[`${prefix}-time-2`] = t('setup.error.time_order');
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

/** The kinds of capsule: Absorica LD is its own choice, only its mg differ from standard capsules (DOSE-5, DOSE-12, EVID-1). */
export function productChoices(): { value: Product; label: string; hint: string }[] {
  return [
    { value: 'standard', label: t('setup.product.standard'), hint: t('setup.product.standard.hint') },
    { value: 'food_independent', label: t('setup.product.food_independent'), hint: t('setup.product.food_independent.hint') },
    { value: 'micronised', label: t('setup.product.micronised'), hint: t('setup.product.micronised.hint') },
  ];
}

export function programmeChoices(): { value: Programme; label: string }[] {
  return [
    { value: 'us_ipledge', label: t('setup.programme.us_ipledge') },
    { value: 'eu_ppp', label: t('setup.programme.eu_ppp') },
    { value: 'none', label: t('setup.programme.none') },
  ];
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
      <legend>{t('setup.plan')}</legend>
      <p class="hint">{t('setup.plan.hint')}</p>
      <Choices
        name={`${prefix}-mode`}
        legend={t('setup.plan.mode')}
        value={draft.mode}
        onChange={(mode) => set({ mode })}
        choices={[
          { value: 'daily', label: t('setup.plan.daily') },
          { value: 'per_dose', label: t('setup.plan.per_dose'), hint: t('setup.plan.per_dose.hint') },
          { value: 'cycle', label: t('setup.plan.cycle'), hint: t('setup.plan.cycle.hint') },
        ]}
      />
      {draft.mode === 'daily' ? (
        mgField('daily', t('setup.plan.daily_mg'), 'dailyMg')
      ) : draft.mode === 'per_dose' ? (
        <div class="field-pair">
          {mgField('dose-1', t('setup.plan.dose1_mg'), 'dose1Mg')}
          {mgField('dose-2', t('setup.plan.dose2_mg'), 'dose2Mg')}
        </div>
      ) : (
        <div class="field-pair">
          {mgField('cycle-a', t('setup.plan.day1_mg'), 'cycleA')}
          {mgField('cycle-b', t('setup.plan.day2_mg'), 'cycleB')}
        </div>
      )}
      {draft.mode !== 'per_dose' && (
        <Choices
          name={`${prefix}-per-day`}
          legend={t('setup.plan.per_day')}
          value={draft.dosesPerDay}
          onChange={(dosesPerDay) => set({ dosesPerDay })}
          choices={[
            { value: '1', label: t('setup.plan.once') },
            { value: '2', label: t('setup.plan.twice') },
          ]}
        />
      )}
      <div class="field-pair">
        <Field
          id={`${prefix}-time-1`}
          label={t(twice ? 'setup.plan.time1' : 'setup.plan.time')}
          type="time"
          value={draft.time1}
          error={errors[`${prefix}-time-1`]}
          onInput={(e) => set({ time1: value(e) })}
        />
        {twice && (
          <Field
            id={`${prefix}-time-2`}
            label={t('setup.plan.time2')}
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
