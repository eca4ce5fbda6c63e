import { useState } from 'preact/hooks';
import { api, type MilestoneAnswer } from '../api';
import { CountryField } from '../components/CountryField';
import { Disclaimer } from '../components/Disclaimer';
import { DosePlanFields, EMPTY_PLAN, segmentFrom, validatePlan, type PlanDraft } from '../components/DosePlanFields';
import { Choices, CumulativeTargetFields, ErrorSummary, Field, TimeZoneField, type Errors, type TargetMode } from '../components/Form';
import { LinkCodeEntry } from '../components/LinkCodeEntry';
import { StartDateConfirm, tooEarlyStart, unusualStart } from '../components/StartDateCheck';
import { toKg, WeightField, weightError, type WeightUnit } from '../components/WeightField';
import { preferredWeightUnit } from '../lib/prefs';
import { plannedSlots } from '../lib/cumulative';
import { addDays, detectTimeZone, formatDate, instantOn, isValidTimeZone, localDate } from '../lib/dates';
import { fieldErrorsFrom, focusSoon } from '../lib/errors';
import { PRODUCT_CHOICES } from '../lib/labels';
import { countryForZone } from '../lib/help';
import { useStages } from '../lib/stages';
import { navigate } from '../router';
import { adoptSession, announce, logMany, refreshToday, refreshTimeline, session, setCourse, unlinked } from '../store';
import type { Product, Programme } from '../types';

type Pregnancy = 'yes' | 'no' | 'unsure';
type SoFar = 'all' | 'some' | 'later';

function apiFieldToId(field: string): string | null {
  if (field.startsWith('weight')) return 'weight';
  if (field.startsWith('start_date')) return 'start-date';
  if (field.startsWith('target')) return 'target';
  if (field.startsWith('timezone')) return 'timezone';
  if (field.startsWith('dose_plan')) {
    if (field.includes('dose_times')) return 'plan-time-1';
    if (field.includes('cycle')) return 'plan-cycle-a';
    return 'plan-daily';
  }
  if (field.startsWith('product')) return 'product-standard';
  if (field.startsWith('programme')) return 'programme-us_ipledge';
  if (field.startsWith('pregnancy')) return 'pregnancy-yes';
  if (field.startsWith('country')) return 'country';
  return null;
}

export function Onboarding() {
  const [startDate, setStartDate] = useState(() => localDate(detectTimeZone()));
  const [weight, setWeight] = useState('');
  const [unit, setUnit] = useState<WeightUnit>(preferredWeightUnit);
  const [soFar, setSoFar] = useState<SoFar | null>(null);
  // Joining after the start: were the tests before it done? Left unanswered, nothing is stored.
  const [testsBefore, setTestsBefore] = useState<MilestoneAnswer | null>(null);
  const [startConfirmed, setStartConfirmed] = useState<string | null>(null);
  const [askStart, setAskStart] = useState<string | null>(null);
  const [plan, setPlan] = useState<PlanDraft>(EMPTY_PLAN);
  const [product, setProduct] = useState<Product | null>(null);
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [pregnancy, setPregnancy] = useState<Pregnancy | null>(null);
  // No number is filled in for the patient (DOSE-2: the prescriber sets any total; no silent 120 mg/kg).
  const [targetMode, setTargetMode] = useState<TargetMode>('none');
  const [target, setTarget] = useState('');
  const [timezone, setTimezone] = useState(detectTimeZone);
  const [country, setCountry] = useState(() => countryForZone(detectTimeZone())?.code ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  // The form is long: the fields past the first screenful follow in four more short steps.
  const stage = useStages(4);

  const startedBefore = /^\d{4}-\d{2}-\d{2}$/.test(startDate) && startDate < localDate(timezone);

  const validate = (): Errors => {
    const found: Errors = { ...validatePlan(plan, 'plan') };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) found['start-date'] = 'Enter the date you take (or took) your first capsule.';
    else found['start-date'] = tooEarlyStart(startDate, localDate(timezone)) ?? undefined;
    found.weight = weightError(weight, unit);
    if (startedBefore && !soFar) found['so-far-all'] = 'Tell us how your capsules went so far, or choose “I’ll fill them in”.';
    if (!product) found['product-standard'] = 'Choose which kind of capsules you have.';
    if (!programme) found['programme-us_ipledge'] = 'Choose a programme, or “Neither”.';
    if (!pregnancy) found['pregnancy-yes'] = 'Answer “Could you become pregnant?” — “Not sure” is a fine answer.';
    if (targetMode === 'target') {
      const t = Number(target);
      if (!Number.isFinite(t) || t < 10 || t > 400) found.target = 'Enter your prescriber’s total in mg/kg, or choose “No total given”.';
    }
    if (!isValidTimeZone(timezone)) found.timezone = 'Choose a time zone from the list, for example Europe/London.';
    return Object.fromEntries(Object.entries(found).filter(([, v]) => v));
  };

  const submit = async (event?: Event, confirmedStart = startConfirmed) => {
    event?.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length) {
      focusSoon('error-summary');
      return;
    }
    const unusual = unusualStart(startDate, localDate(timezone));
    if (unusual && confirmedStart !== startDate) {
      setAskStart(unusual);
      focusSoon('start-confirm');
      return;
    }
    setAskStart(null);
    setBusy(true);
    try {
      if (!session.value) {
        const patient = await api.createPatient();
        await adoptSession({ patientId: patient.id, token: patient.token, deviceId: patient.device_id });
      }
      const created = await api.createCourse({
        start_date: startDate,
        weight_kg: toKg(weight, unit)!,
        target_mg_per_kg: targetMode === 'target' ? Number(target) : null,
        timezone,
        product: product!,
        programme: programme!,
        // "Not sure" keeps pregnancy prevention on until the patient changes it in Settings.
        pregnancy_prevention: pregnancy !== 'no',
        country: country || null,
        dose_plan: [segmentFrom(plan, startDate)],
        ...(unusual ? { confirm_start_date: true } : {}),
      });
      await setCourse(created);
      if (startedBefore && testsBefore) await api.answerBeforeStart(created.id, testsBefore);
      if (startedBefore && soFar === 'all') {
        const past = plannedSlots(created, created.start_date, addDays(localDate(timezone), -1));
        await logMany(
          past.map((s) => ({ date: s.date, slot: s.slot, status: 'taken', mg: s.mg, taken_at: instantOn(s.date, s.time) })),
          `Your course is set up, with ${past.length} earlier doses logged as taken.`,
        );
      } else {
        announce('Your course is set up.');
      }
      await Promise.all([refreshToday(), refreshTimeline().catch(() => undefined)]);
      // Earlier doses to fill in come first; otherwise the next step is reminders (Today offers them too).
      navigate(startedBefore && soFar !== 'all' ? '/#fill-in' : '/get-reminders', { replace: true });
    } catch (error) {
      setErrors(fieldErrorsFrom(error, apiFieldToId));
      focusSoon('error-summary');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="view">
      <header class="view-header">
        <h1 tabIndex={-1}>Set up your course</h1>
        <p class="lede">About a minute. No name, email or phone number — just your course.</p>
      </header>
      {unlinked.value && (
        <p class="notice" role="status">
          This device was disconnected from its account: the account was erased, or this device was removed, on another device.
          What was saved here has been cleared. Set up your course again, or link this device with a code below.
        </p>
      )}

      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} />

        <Field
          id="start-date"
          label="First day of your course"
          type="date"
          value={startDate}
          error={errors['start-date']}
          onInput={(e) => setStartDate((e.currentTarget as HTMLInputElement).value)}
        />
        {askStart && (
          <StartDateConfirm
            id="start-confirm"
            reason={askStart}
            onConfirm={() => {
              setStartConfirmed(startDate);
              void submit(undefined, startDate);
            }}
            onChange={() => {
              setAskStart(null);
              focusSoon('start-date');
            }}
          />
        )}
        {startedBefore && (
          <Choices
            name="so-far"
            legend="How did your capsules go so far?"
            hint={`Your course started ${formatDate(startDate)}. ClearCourse counts only what is logged.`}
            value={soFar}
            error={errors['so-far-all']}
            onChange={setSoFar}
            choices={[
              { value: 'all', label: 'I took them all', hint: 'Every earlier dose is logged as taken at its usual time' },
              { value: 'some', label: 'I missed some', hint: 'Next you mark each week, or the days you missed' },
              { value: 'later', label: 'I’ll fill them in', hint: 'Today lists the earlier days by week' },
            ]}
          />
        )}
        {startedBefore && (
          <Choices
            name="tests-before"
            legend="Were the tests before your first capsule done?"
            hint="The pregnancy tests your programme asks for before the start, if they apply to you, and the first blood test. You can change each one later on your Timeline."
            value={testsBefore}
            onChange={setTestsBefore}
            choices={[
              { value: 'done', label: 'Yes, they were done' },
              { value: 'not_done', label: 'No, not done' },
              { value: 'unknown', label: 'I don’t know' },
            ]}
          />
        )}
        <WeightField
          id="weight"
          label="Your weight"
          hint="Used only to work out your cumulative dose per kg."
          value={weight}
          unit={unit}
          error={errors.weight}
          onValue={setWeight}
          onUnit={setUnit}
        />

        {stage >= 1 && (
          <>
            <DosePlanFields prefix="plan" draft={plan} errors={errors} onChange={setPlan} />
          </>
        )}

        {stage >= 2 && (
          <>
            <Choices
              name="product"
              legend="Which capsules do you have?"
              value={product}
              error={errors['product-standard']}
              onChange={setProduct}
              choices={PRODUCT_CHOICES}
            />

            <Choices
              name="programme"
              legend="Pregnancy prevention programme"
              hint="The programme your prescriber enrolled you in, if any."
              value={programme}
              error={errors['programme-us_ipledge']}
              onChange={setProgramme}
              choices={[
                { value: 'us_ipledge', label: 'US iPLEDGE' },
                { value: 'eu_ppp', label: 'EU or UK pregnancy prevention programme' },
                { value: 'none', label: 'Neither' },
              ]}
            />

          </>
        )}

        {stage >= 3 && (
          <>
            <Choices
              name="pregnancy"
              legend="Could you become pregnant?"
              hint="This turns on pregnancy-prevention reminders. Your answer stays with your anonymous account. You can change it later in Settings."
              value={pregnancy}
              error={errors['pregnancy-yes']}
              onChange={setPregnancy}
              choices={[
                { value: 'yes', label: 'Yes', hint: 'Pregnancy tests and prevention reminders are on' },
                { value: 'no', label: 'No' },
                {
                  value: 'unsure',
                  label: 'Not sure — I’ll ask my prescriber',
                  hint: 'Pregnancy tests and prevention reminders stay on until you change this in Settings',
                },
              ]}
            />

            <CumulativeTargetFields
              idPrefix=""
              mode={targetMode}
              onMode={setTargetMode}
              target={target}
              onTarget={setTarget}
              error={errors.target}
              legendHint="Only the number your prescriber gave you: without one, dates that depend on a total are not estimated."
              targetHint="As written in your plan, in mg per kg of body weight."
            />

          </>
        )}

        {stage >= 4 && (
          <>
            <TimeZoneField id="timezone" value={timezone} onInput={setTimezone} error={errors.timezone} />

            <CountryField
              label="Country"
              hint="For the emergency number and crisis line on the “Get help” screen."
              value={country}
              onChange={setCountry}
            />

            <Disclaimer />

            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {busy ? 'Setting up…' : 'Start my course'}
            </button>
          </>
        )}
      </form>

      {stage >= 4 && (
        <section class="card" aria-labelledby="join-heading">
          <h2 id="join-heading">Already use ClearCourse on another device?</h2>
          <p>On that device, open Settings and create a link code, then enter it here.</p>
          <LinkCodeEntry />
        </section>
      )}
    </div>
  );
}
