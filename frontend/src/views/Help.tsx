import { useState } from 'preact/hooks';
import { api } from '../api';
import { Disclaimer } from '../components/Disclaimer';
import { EmergencyCalls } from '../components/EmergencyCalls';
import { SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { messageFor } from '../lib/errors';
import { dialable, helpCountry, redFlagItems } from '../lib/help';
import { announce, course, setCourse } from '../store';
import type { Course } from '../types';

const EMERGENCY_FLAGS = new Set(['RED-7']);
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
      setError('Use digits, spaces and + ( ) - only, for example +44 20 7946 0000.');
      return;
    }
    setBusy(true);
    try {
      await setCourse(await api.updateCourse(current.id, { clinic_phone: trimmed || null }));
      setError(null);
      setEditing(false);
      announce(trimmed ? 'Clinic number saved.' : 'Clinic number removed.');
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
          Call your clinic
          <span class="call-note">{saved}</span>
        </a>{' '}
        <button type="button" class="button button-quiet" onClick={() => setEditing(true)}>
          Change number
        </button>
      </p>
    );
  }
  if (!current) return <p class="muted">Once your course is set up you can save your clinic’s number here.</p>;
  return (
    <form class="form clinic-form" onSubmit={save} noValidate>
      <div class="field">
        <label for="clinic-phone">Your clinic’s phone number</label>
        <p class="hint" id="clinic-phone-hint">
          Saved with your course so you can call it in one tap. It is in your export and is erased with your data.
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
        {busy ? 'Saving…' : 'Save number'}
      </button>
    </form>
  );
}

/**
 * "Get help": one tap from every screen, offline too. Emergencies first (RED-7, and RED-1 with thoughts
 * of self-harm), then the clinic, then every other red flag in RED-11's words.
 */
export function Help() {
  const current = course.value;
  const country = helpCountry(current);
  const flags = redFlagItems(current ? current.pregnancy_prevention : true);
  const [red7, rest] = [flags.filter((f) => EMERGENCY_FLAGS.has(f.id)), flags.filter((f) => !EMERGENCY_FLAGS.has(f.id))];
  return (
    <div class="view help">
      <header class="view-header">
        <h1 tabIndex={-1}>Get help</h1>
        <p class="lede">{country ? `Numbers for ${country.name}.` : 'Your country’s numbers are not listed yet.'}</p>
      </header>

      <section class="card card-alert" aria-labelledby="emergency-heading" id="emergency">
        <h2 id="emergency-heading">Call now if</h2>
        <ul class="fact-list">
          {red7.map((item) => (
            <li key={item.id} id={item.id}>
              {item.text}
              <SourceIds facts={item.facts} />
            </li>
          ))}
          <li id="self-harm">
            You have thoughts of hurting yourself or ending your life. You deserve help straight away: call the
            emergency number or a crisis line now.
            <SourceIds facts={['RED-1', 'HELP-1']} />
          </li>
        </ul>
        <EmergencyCalls country={country} />
      </section>

      <section class="card" aria-labelledby="clinic-heading" id="clinic">
        <h2 id="clinic-heading">Your prescriber’s clinic</h2>
        <p>
          For any sign below, your own clinic is the quickest help: keep its number here.
          <SourceIds facts={['HELP-2']} />
        </p>
        <ClinicPhone current={current} />
      </section>

      <section class="card card-attention" aria-labelledby="red-flags-heading" id="red-flags">
        <h2 id="red-flags-heading">Stop your capsules and call your prescriber now if you have</h2>
        <ul class="fact-list red-flags">
          {rest.map((item) => (
            <li key={item.id} id={item.id}>
              {item.text}
              <SourceIds facts={item.facts} />
            </li>
          ))}
        </ul>
        <p class="muted">
          If you can’t reach your clinic and feel very unwell, call the emergency number above.
        </p>
      </section>

      {current && (
        <p>
          <Link href="/settings#country">Change the country for these numbers</Link>
        </p>
      )}
      <Disclaimer />
    </div>
  );
}
