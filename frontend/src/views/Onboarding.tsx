import { useState } from 'preact/hooks';
import { api, type MilestoneAnswer } from '../api';
import { CountryField } from '../components/CountryField';
import { Disclaimer } from '../components/Disclaimer';
import { LanguagePicker } from '../components/LanguagePicker';
import { DosePlanFields, EMPTY_PLAN, productChoices, programmeChoices, segmentFrom, validatePlan, type PlanDraft } from '../components/DosePlanFields';
import { Choices, CumulativeTargetFields, ErrorSummary, Field, TimeZoneField, type Errors, type TargetMode } from '../components/Form';
import { LinkCodeEntry } from '../components/LinkCodeEntry';
import { StartDateConfirm, tooEarlyStart, unusualStart } from '../components/StartDateCheck';
import { toKg, WeightField, weightError, type WeightUnit } from '../components/WeightField';
import { preferredWeightUnit } from '../lib/prefs';
import { plannedSlots } from '../lib/cumulative';
import { addDays, detectTimeZone, formatDate, instantOn, isValidTimeZone, localDate } from '../lib/dates';
import { fieldErrorsFrom, focusSoon } from '../lib/errors';
import { t } from '../i18n';
import { countryCodeForZone } from '../lib/countries';
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
  const [country, setCountry] = useState(() => countryCodeForZone(detectTimeZone()) ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  // The form is long: the fields past the first screenful follow in four more short steps.
  const stage = useStages(4);

  const startedBefore = /^\d{4}-\d{2}-\d{2}$/.test(startDate) && startDate < localDate(timezone);

  const validate = (): Errors => {
    const found: Errors = { ...validatePlan(plan, 'plan') };
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startDate)) found['start-date'] = t('setup.error.start');
    else found['start-date'] = tooEarlyStart(startDate, localDate(timezone)) ?? undefined;
    found.weight = weightError(weight, unit);
    if (startedBefore && !soFar) found['so-far-all'] = t('setup.error.so_far');
    if (!product) found['product-standard'] = t('setup.error.product');
    if (!programme) found['programme-us_ipledge'] = t('setup.error.programme');
    if (!pregnancy) found['pregnancy-yes'] = t('setup.error.pregnancy');
    if (targetMode === 'target') {
      const total = Number(target);
      if (!Number.isFinite(total) || total < 10 || total > 400) found.target = t('setup.error.target');
    }
    if (!isValidTimeZone(timezone)) found.timezone = t('setup.error.timezone');
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
          t('setup.done.with_past', { count: past.length }),
        );
      } else {
        announce(t('setup.done'));
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
        <h1 tabIndex={-1}>{t('setup.title')}</h1>
        <p class="lede">{t('setup.lede')}</p>
      </header>
      <section aria-labelledby="setup-language-heading">
        <h2 id="setup-language-heading">Language · Idioma · Sprache</h2>
        <LanguagePicker labelledBy="setup-language-heading" />
      </section>
      {unlinked.value && (
        <p class="notice" role="status">
          {t('setup.unlinked')}
        </p>
      )}

      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary errors={errors} />

        <Field
          id="start-date"
          label={t('setup.start')}
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
            legend={t('setup.so_far')}
            hint={t('setup.so_far.hint', { date: formatDate(startDate) })}
            value={soFar}
            error={errors['so-far-all']}
            onChange={setSoFar}
            choices={[
              { value: 'all', label: t('setup.so_far.all'), hint: t('setup.so_far.all.hint') },
              { value: 'some', label: t('setup.so_far.some'), hint: t('setup.so_far.some.hint') },
              { value: 'later', label: t('setup.so_far.later'), hint: t('setup.so_far.later.hint') },
            ]}
          />
        )}
        {startedBefore && (
          <Choices
            name="tests-before"
            legend={t('setup.tests_before')}
            hint={t('setup.tests_before.hint')}
            value={testsBefore}
            onChange={setTestsBefore}
            choices={[
              { value: 'done', label: t('setup.tests_before.done') },
              { value: 'not_done', label: t('setup.tests_before.not_done') },
              { value: 'unknown', label: t('setup.tests_before.unknown') },
            ]}
          />
        )}
        <WeightField
          id="weight"
          label={t('setup.weight')}
          hint={t('setup.weight.hint')}
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
              legend={t('setup.product')}
              value={product}
              error={errors['product-standard']}
              onChange={setProduct}
              choices={productChoices()}
            />

            <Choices
              name="programme"
              legend={t('setup.programme')}
              hint={t('setup.programme.hint')}
              value={programme}
              error={errors['programme-us_ipledge']}
              onChange={setProgramme}
              choices={programmeChoices()}
            />

          </>
        )}

        {stage >= 3 && (
          <>
            <Choices
              name="pregnancy"
              legend={t('setup.pregnancy')}
              hint={t('setup.pregnancy.hint')}
              value={pregnancy}
              error={errors['pregnancy-yes']}
              onChange={setPregnancy}
              choices={[
                { value: 'yes', label: t('setup.pregnancy.yes'), hint: t('setup.pregnancy.yes.hint') },
                { value: 'no', label: t('setup.pregnancy.no') },
                { value: 'unsure', label: t('setup.pregnancy.unsure'), hint: t('setup.pregnancy.unsure.hint') },
              ]}
            />

            <CumulativeTargetFields
              idPrefix=""
              mode={targetMode}
              onMode={setTargetMode}
              target={target}
              onTarget={setTarget}
              error={errors.target}
              legendHint={t('setup.target.hint')}
              targetHint={t('setup.target.value.hint')}
            />

          </>
        )}

        {stage >= 4 && (
          <>
            <TimeZoneField id="timezone" value={timezone} onInput={setTimezone} error={errors.timezone} />

            <CountryField
              label={t('setup.country')}
              hint={t('setup.country.hint')}
              value={country}
              onChange={setCountry}
            />

            <Disclaimer />

            <button type="submit" class="button button-primary button-block" disabled={busy}>
              {busy ? t('setup.submit.busy') : t('setup.submit')}
            </button>
          </>
        )}
      </form>

      {stage >= 4 && (
        <section class="card" aria-labelledby="join-heading">
          <h2 id="join-heading">{t('setup.join')}</h2>
          <p>{t('setup.join.hint')}</p>
          <LinkCodeEntry />
        </section>
      )}
    </div>
  );
}
