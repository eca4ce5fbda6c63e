import { useState } from 'preact/hooks';
import { api } from '../api';
import { Disclaimer } from '../components/Disclaimer';
import { Choices } from '../components/Form';
import { EmergencyCalls } from '../components/EmergencyCalls';
import { SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { language, t } from '../i18n';
import { messageFor } from '../lib/errors';
import { dialable, helpCountry, setUnder18, under18 } from '../lib/help';
import { redFlagItems, type RedFlagItem } from '../lib/red-flags';
import type { TriageCall } from '../lib/triage';
import { announce, course, setCourse } from '../store';
import type { Course } from '../types';

/** On "Get help": the emergency number first, then the crisis line (and its text line). */
const HELP_CALLS: TriageCall[] = [
  { call: 'emergency', note: null },
  { call: 'crisis', note: null },
];
const PHONE = /^(?=(?:\D*\d){3})\+?[0-9(][0-9 ()./-]{2,30}$/;

/** The clinic's number (HELP-2): one tap to call it, or a field to save it on the course. */
function ClinicPhone({ current }: { current: Course | null }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(current?.clinic_phone ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const saved = current?.clinic_phone ?? null;

  const save = async (event: Event) => {
    event.preventDefault();
    if (!current) return;
    const trimmed = value.trim();
    if (trimmed && !PHONE.test(trimmed)) {
      setError(t('help.phone.invalid'));
      return;
    }
    setBusy(true);
    try {
      await setCourse(await api.updateCourse(current.id, { clinic_phone: trimmed || null }));
      setError(null);
      setEditing(false);
      announce(t(trimmed ? 'help.phone.saved' : 'help.phone.removed'));
    } catch (e) {
      setError(messageFor(e));
    } finally {
      setBusy(false);
    }
  };

  if (saved && !editing) {
    return (
      <p class="clinic-call">
        <a class="button button-primary call" href={`tel:${dialable(saved)}`}>
          {t('help.phone.call')}
          <span class="call-note">{saved}</span>
        </a>{' '}
        <button type="button" class="button button-quiet" onClick={() => setEditing(true)}>
          {t('help.phone.change')}
        </button>
      </p>
    );
  }
  if (!current) return <p class="muted">{t('help.phone.no_course')}</p>;
  return (
    <form class="form clinic-form" onSubmit={save} noValidate>
      <div class="field">
        <label for="clinic-phone">{t('help.phone.label')}</label>
        <p class="hint" id="clinic-phone-hint">
          {t('help.phone.hint')}
        </p>
        <input
          id="clinic-phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          value={value}
          aria-describedby={error ? 'clinic-phone-hint clinic-phone-error' : 'clinic-phone-hint'}
          aria-invalid={error ? true : undefined}
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
        {error && (
          <p class="error" id="clinic-phone-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" class="button button-secondary" disabled={busy}>
        {t(busy ? 'help.phone.saving' : 'help.phone.save')}
      </button>
    </form>
  );
}

function FlagList({ items }: { items: RedFlagItem[] }) {
  return (
    <ul class="fact-list red-flags">
      {items.map((item) => (
        <li key={item.id} id={`flag-${item.id}`}>
          {item.text}
          <SourceIds facts={item.facts} />
        </li>
      ))}
    </ul>
  );
}

/** Optional, kept on this phone only: a yes adds the lines for young people where the country has them (HELP-5). */
function AgeChoice() {
  const value = under18.value === null ? null : under18.value ? 'yes' : 'no';
  const choose = (next: boolean | null, message: string) => {
    setUnder18(next);
    announce(message);
  };
  return (
    <div class="age-choice">
      <Choices
        name="under-18"
        legend={t('help.age.legend')}
        hint={
          <>
            {t('help.age.hint')}
            <SourceIds facts={['HELP-5']} />
          </>
        }
        choices={[
          { value: 'yes', label: t('help.age.yes') },
          { value: 'no', label: t('help.age.no') },
        ]}
        value={value}
        onChange={(v) => choose(v === 'yes', t('help.age.saved'))}
      />
      {value !== null && (
        <button type="button" class="button button-quiet" onClick={() => choose(null, t('help.age.removed'))}>
          {t('help.age.remove')}
        </button>
      )}
    </div>
  );
}

/**
 * "Get help": one tap from every screen, offline too. The levels of RED-13, as in the check-in: what
 * needs the emergency number now (and thoughts of self-harm: a crisis line), then the clinic, then what
 * means stopping the capsules and calling the prescriber now, then what the dermatology team should hear today.
 */
export function Help() {
  const current = course.value;
  const country = helpCountry(current);
  const flags = redFlagItems(current ? current.pregnancy_prevention : true);
  const emergency = flags.filter((f) => f.level === 'emergency');
  const urgent = flags.filter((f) => f.level === 'urgent');
  const today = flags.filter((f) => f.level === 'today');
  return (
    <div class="view help" lang={language.value}>
      <header class="view-header">
        <h1 tabIndex={-1}>{t('help.title')}</h1>
        <p class="lede">{country ? t('help.lede.country', { country: country.name }) : t('help.lede.unlisted')}</p>
      </header>

      <section class="card card-alert" aria-labelledby="emergency-heading" id="emergency">
        <h2 id="emergency-heading">{t('help.emergency.heading')}</h2>
        <FlagList items={emergency} />
        <EmergencyCalls calls={HELP_CALLS} country={country} />
        <AgeChoice />
      </section>

      <section class="card" aria-labelledby="clinic-heading" id="clinic">
        <h2 id="clinic-heading">{t('help.clinic.heading')}</h2>
        <p>
          {t('help.clinic.intro')}
          <SourceIds facts={['HELP-2']} />
        </p>
        <ClinicPhone current={current} />
      </section>

      <section class="card card-attention" aria-labelledby="red-flags-heading" id="red-flags">
        <h2 id="red-flags-heading">{t('help.urgent.heading')}</h2>
        <FlagList items={urgent} />
        <p class="muted">
          {t('help.urgent.unreachable')}
        </p>
      </section>

      {today.length > 0 && (
        <section class="card" aria-labelledby="flare-heading" id="flare">
          <h2 id="flare-heading">{t('help.today.heading')}</h2>
          <FlagList items={today} />
        </section>
      )}

      {current && (
        <p class="link-line">
          <Link href="/settings#country">{t('help.country_link')}</Link>
        </p>
      )}
      <Disclaimer />
    </div>
  );
}
