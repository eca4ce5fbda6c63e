import { useState } from 'preact/hooks';
import { api } from '../api';
import { addDays, formatDate, isValidTimeZone } from '../lib/dates';
import { formatNumber } from '../lib/format';
import { fieldErrorsFrom, focusSoon, messageFor } from '../lib/errors';
import { t } from '../i18n';
import { describeMgPerKgWeight, describeSegment, mgPerKgWeight, segmentOn } from '../lib/plan';
import { announce, courseToday, refreshTimeline, refreshToday, setCourse } from '../store';
import type { Course, Product, Programme } from '../types';
import { DosePlanFields, draftFromSegment, productChoices, programmeChoices, segmentFrom, validatePlan, type PlanDraft } from './DosePlanFields';
import { Checkbox, Choices, CumulativeTargetFields, ErrorSummary, Field, TimeZoneField, type Errors, type TargetMode } from './Form';
import { StartDateConfirm, tooEarlyStart, unusualStart } from './StartDateCheck';
import { preferredWeightUnit } from '../lib/prefs';
import { fromKg, toKg, WeightField, weightError, type WeightUnit } from './WeightField';

async function save(current: Course, patch: Partial<Course> & { confirm_start_date?: boolean }, message: string): Promise<void> {
  const updated = await api.updateCourse(current.id, patch);
  await setCourse(updated);
  await Promise.all([refreshToday(), refreshTimeline()]).catch(() => undefined);
  announce(message);
}

function toId(field: string): string | null {
  if (field.startsWith('start_date') || field.startsWith('dose_plan')) return 'edit-start';
  if (field.startsWith('product')) return 'edit-product-standard';
  if (field.startsWith('programme')) return 'edit-programme-us_ipledge';
  if (field.startsWith('weight')) return 'edit-weight';
  if (field.startsWith('target')) return 'edit-target';
  if (field.startsWith('timezone')) return 'edit-timezone';
  return null;
}

/**
 * An earlier start needs the first plan segment to begin with it (the server wants the start covered);
 * a later start keeps the plan as it is, so the segment in force on the new day 1 still applies.
 */
function planFrom(current: Course, start: string): Course['dose_plan'] | undefined {
  const plan = [...current.dose_plan].sort((a, b) => (a.from_date < b.from_date ? -1 : 1));
  const [first, ...rest] = plan;
  if (!first || start >= first.from_date) return undefined;
  return [{ ...first, from_date: start }, ...rest];
}

/** Every recorded weight with its date, and which one the course's mg/kg is counted by. */
function WeightHistory({ current }: { current: Course }) {
  const history = current.weights ?? [];
  if (!history.length) return null;
  const basis = mgPerKgWeight(current);
  return (
    <div class="weight-history">
      <p class="hint">{t('course.weight.counted', { basis: describeMgPerKgWeight(basis) })}</p>
      {history.length > 1 && (
        <ul class="plain-list">
          {history.map((w, i) => (
            <li key={w.recorded_on}>
              {t('course.weight.entry', { date: formatDate(w.recorded_on), kg: formatNumber(Math.round(w.weight_kg * 10) / 10), note: i === 0 ? 'start' : w.rebased ? 'rebased' : 'none' })}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Start date, weight (kg or lb), target, capsules, programme, time zone and pregnancy-prevention reminders. */
export function CourseDetailsForm({ current }: { current: Course }) {
  const [start, setStart] = useState(current.start_date);
  const [askStart, setAskStart] = useState<string | null>(null);
  const [product, setProduct] = useState<Product>(current.product);
  const [programme, setProgramme] = useState<Programme>(current.programme);
  const [unit, setUnit] = useState<WeightUnit>(preferredWeightUnit);
  const [weight, setWeight] = useState(() => fromKg(current.weight_kg, unit));
  const [rebased, setRebased] = useState(false);
  const weightChanged = weight.trim() !== fromKg(current.weight_kg, unit);
  const [targetMode, setTargetMode] = useState<TargetMode>(current.target_mg_per_kg === null ? 'none' : 'target');
  const [target, setTarget] = useState(current.target_mg_per_kg === null ? '' : String(current.target_mg_per_kg));
  const [timezone, setTimezone] = useState(current.timezone);
  const [prevention, setPrevention] = useState(current.pregnancy_prevention);
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event?: Event, confirmedStart = false) => {
    event?.preventDefault();
    const found: Errors = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) found['edit-start'] = t('course.error.start');
    else if (current.ended_on && start > current.ended_on) found['edit-start'] = t('course.error.after_end', { date: formatDate(current.ended_on) });
    else if (start !== current.start_date) found['edit-start'] = tooEarlyStart(start, courseToday()) ?? undefined;
    found['edit-weight'] = weightError(weight, unit);
    const kg = toKg(weight, unit);
    const total = Number(target);
    if (targetMode === 'target' && (!Number.isFinite(total) || total < 10 || total > 400)) found['edit-target'] = t('setup.error.target');
    if (!isValidTimeZone(timezone)) found['edit-timezone'] = t('setup.error.timezone');
    const cleaned = Object.fromEntries(Object.entries(found).filter(([, v]) => v));
    setErrors(cleaned);
    if (Object.keys(cleaned).length) return focusSoon('course-errors');
    const unusual = start !== current.start_date ? unusualStart(start, courseToday()) : null;
    if (unusual && !confirmedStart) {
      setAskStart(unusual);
      return focusSoon('edit-start-confirm');
    }
    setAskStart(null);
    setBusy(true);
    try {
      const plan = start !== current.start_date ? planFrom(current, start) : undefined;
      const targetMgPerKg = targetMode === 'target' ? total : null;
      // Only what the patient changed is sent, so a field changed meanwhile elsewhere (another phone) is kept;
      // a changed weight also starts a new entry in the weight history.
      await save(
        current,
        {
          ...(start !== current.start_date ? { start_date: start } : {}),
          ...(plan ? { dose_plan: plan } : {}),
          ...(unusual ? { confirm_start_date: true } : {}),
          ...(weightChanged ? { weight_kg: kg! } : {}),
          ...(rebased ? { weight_rebased: true } : {}),
          ...(targetMgPerKg !== current.target_mg_per_kg ? { target_mg_per_kg: targetMgPerKg } : {}),
          ...(product !== current.product ? { product } : {}),
          ...(programme !== current.programme ? { programme } : {}),
          ...(timezone !== current.timezone ? { timezone } : {}),
          ...(prevention !== current.pregnancy_prevention ? { pregnancy_prevention: prevention } : {}),
        },
        t('course.saved'),
      );
      setRebased(false);
    } catch (error) {
      setErrors(fieldErrorsFrom(error, toId));
      focusSoon('course-errors');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} id="course-errors" />
      <Field
        id="edit-start"
        label={t('setup.start')}
        hint={t('course.start.hint')}
        type="date"
        value={start}
        error={errors['edit-start']}
        onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)}
      />
      {askStart && (
        <StartDateConfirm
          id="edit-start-confirm"
          reason={askStart}
          onConfirm={() => void submit(undefined, true)}
          onChange={() => {
            setAskStart(null);
            focusSoon('edit-start');
          }}
        />
      )}
      <WeightField id="edit-weight" label={t('course.weight')} value={weight} unit={unit} error={errors['edit-weight']} onValue={setWeight} onUnit={setUnit} />
      <WeightHistory current={current} />
      {weightChanged && toKg(weight, unit) !== null && (
        <Checkbox
          id="edit-weight-rebased"
          label={t('course.weight.rebased')}
          hint={t('course.weight.rebased.hint')}
          checked={rebased}
          onChange={setRebased}
        />
      )}
      <CumulativeTargetFields
        idPrefix="edit-"
        mode={targetMode}
        onMode={setTargetMode}
        target={target}
        onTarget={setTarget}
        error={errors['edit-target']}
      />
      <Choices
        name="edit-product"
        legend={t('setup.product')}
        value={product}
        error={errors['edit-product-standard']}
        onChange={setProduct}
        choices={productChoices()}
      />
      <Choices
        name="edit-programme"
        legend={t('setup.programme')}
        value={programme}
        error={errors['edit-programme-us_ipledge']}
        onChange={setProgramme}
        choices={programmeChoices()}
      />
      <TimeZoneField id="edit-timezone" value={timezone} onInput={setTimezone} error={errors['edit-timezone']} />
      <div class="choice choice-check">
        <input id="edit-prevention" type="checkbox" checked={prevention} onChange={(e) => setPrevention((e.currentTarget as HTMLInputElement).checked)} />
        <label for="edit-prevention">{t('course.prevention')}</label>
      </div>
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? t('course.saving') : t('course.save')}
      </button>
    </form>
  );
}

/** A new dose plan segment from a chosen date; earlier segments are kept so the past stays correct. */
export function DoseChangeForm({ current }: { current: Course }) {
  const today = courseToday();
  const active = segmentOn(current, today);
  const [fromDate, setFromDate] = useState(today);
  const [plan, setPlan] = useState<PlanDraft>(draftFromSegment(active));
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Errors = validatePlan(plan, 'change');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(fromDate) || fromDate < current.start_date) {
      found['change-from'] = t('course.error.change_from', { date: formatDate(current.start_date) });
    }
    const cleaned = Object.fromEntries(Object.entries(found).filter(([, v]) => v));
    setErrors(cleaned);
    if (Object.keys(cleaned).length) return focusSoon('change-errors');
    setBusy(true);
    try {
      const kept = current.dose_plan
        .filter((segment) => segment.from_date < fromDate)
        .map(({ from_date, daily_mg, cycle_mg, doses_per_day, dose_times, doses }) => ({ from_date, daily_mg, cycle_mg, doses_per_day, dose_times, doses }));
      await save(current, { dose_plan: [...kept, segmentFrom(plan, fromDate)] }, t('course.plan.saved'));
    } catch (error) {
      setErrors({ _server: messageFor(error) });
      focusSoon('change-errors');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate>
      {active && <p>{t('course.plan.now', { plan: describeSegment(active) })}</p>}
      <ErrorSummary errors={errors} id="change-errors" />
      <Field
        id="change-from"
        label={t('course.plan.from')}
        type="date"
        min={current.start_date}
        max={addDays(today, 365)}
        value={fromDate}
        error={errors['change-from']}
        onInput={(e) => setFromDate((e.currentTarget as HTMLInputElement).value)}
      />
      <DosePlanFields prefix="change" draft={plan} errors={errors} onChange={setPlan} />
      <button type="submit" class="button button-primary" disabled={busy}>
        {busy ? t('course.saving') : t('course.plan.save')}
      </button>
    </form>
  );
}
