import './journal.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Checkbox, TextAreaField } from '../components/Form';
import { SourceIds } from '../components/Facts';
import { Link } from '../components/Link';
import { TriagePanel, WhoSees } from '../components/TriagePanel';
import { addDays } from '../lib/dates';
import { formatDay, language, t } from '../i18n';
import { refreshCheckIns, saveCheckIn, savedCheckIns, type CheckIn } from '../lib/record';
import { EFFECTS, redFlagsFor, SEVERITIES } from '../lib/triage';
import { announce, course, courseToday, outboxRecords, sync } from '../store';

const KEEP_DAYS = 120;
const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' };
const SKIN_SCORES = Array.from({ length: 11 }, (_, i) => i);

/** Only the answers given: an effect left alone is not sent (the server stores it as unanswered). */
const answeredEffects = (effects: Record<string, number | null>) =>
  Object.fromEntries(Object.entries(effects).filter(([, value]) => value !== null)) as Record<string, number>;

/**
 * The daily check-in, triaged at once on the phone. Every question starts unanswered and only what the
 * patient touched is saved: a check-in made just to report a red flag stores no skin score and no "none".
 */
export function Journal() {
  const current = course.value;
  const today = courseToday();
  const [date, setDate] = useState(today);
  const [skin, setSkin] = useState<number | null>(null);
  const [effects, setEffects] = useState<Record<string, number>>({});
  const [empty, setEmpty] = useState(false);
  const [flags, setFlags] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [result, setResult] = useState<CheckIn | null>(null);
  // Answers the patient has started giving: a saved check-in that arrives later never overwrites them.
  const touched = useRef(false);
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      touched.current = true;
      set(value);
    };

  const load = async (day: string, fromServer: boolean) => {
    if (!current) return;
    const all = fromServer ? await refreshCheckIns(current.id, addDays(today, -KEEP_DAYS)).catch(() => savedCheckIns(current.id)) : await savedCheckIns(current.id);
    const saved = all[day];
    if (!touched.current) {
      setSkin(saved?.skin ?? null);
      setEffects(answeredEffects(saved?.effects ?? {}));
      setFlags(saved?.red_flags ?? []);
      setNote(saved?.note ?? '');
    }
    setResult(saved ?? null);
  };

  useEffect(() => {
    void load(date, true);
  }, [current?.id, date]);

  // A check-in saved offline is sent by the outbox later: show the server's triage once it went out.
  const queued = outboxRecords.value.length;
  useEffect(() => {
    if (result?.pending && queued === 0) void load(date, true);
  }, [queued]);

  if (!current) return null;

  const nothingAnswered = skin === null && Object.keys(effects).length === 0 && flags.length === 0 && !note.trim();
  const clear = () => {
    touched.current = true;
    setSkin(null);
    setEffects({});
    setFlags([]);
    setNote('');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    if (nothingAnswered) {
      setEmpty(true);
      return;
    }
    setEmpty(false);
    // Only the flags this course is asked about (a pregnancy flag kept from before a course change is not sent).
    const offered = new Set(redFlagsFor(current.pregnancy_prevention).map((f) => f.key));
    const saved = await saveCheckIn(current.id, date, { skin, effects, red_flags: flags.filter((f) => offered.has(f)), note: note.trim() || null });
    setResult(saved);
    announce(t('checkin.saved'));
    requestAnimationFrame(() => document.getElementById('triage')?.focus());
    await sync().catch(() => undefined);
    touched.current = false;
    await load(date, true);
  };

  return (
    <div class="view journal" lang={language.value}>
      <h1 tabIndex={-1}>{t('checkin.title')}</h1>
      <p class="lede">{t('checkin.lede')}</p>
      <nav aria-label={t('checkin.title')} class="card">
        <ul class="link-list">
          <li><Link href="/mood">{t('checkin.nav.mood')}</Link></li>
          <li><Link href="/photos">{t('checkin.nav.photos')}</Link></li>
          <li><Link href="/supply">{t('checkin.nav.supply')}</Link></li>
          <li><Link href="/charts">{t('checkin.nav.charts')}</Link></li>
          <li><Link href="/report">{t('checkin.nav.report')}</Link></li>
        </ul>
      </nav>

      {result && <TriagePanel result={result.triage} pending={Boolean(result.pending)} />}

      <form class="card checkin" onSubmit={submit} aria-labelledby="checkin-heading">
        <h2 id="checkin-heading">{t('checkin.heading', { day: formatDay(date, DAY) })}</h2>
        <div class="field">
          <label for="checkin-date">{t('checkin.day')}</label>
          <select id="checkin-date" value={date} onChange={(e) => {
              touched.current = false;
              setDate((e.currentTarget as HTMLSelectElement).value);
            }}>
            <option value={today}>{t('checkin.day.today')}</option>
            <option value={addDays(today, -1)}>{t('checkin.day.yesterday')}</option>
            <option value={addDays(today, -2)}>{t('checkin.day.two_days_ago')}</option>
          </select>
        </div>
        <fieldset class="skin-scale" aria-describedby="skin-answer">
          <legend>{t('checkin.skin.legend')}</legend>
          <div class="scale">
            {SKIN_SCORES.map((score) => (
              <label key={score} class="scale-step">
                <input type="radio" name="skin" value={score} checked={skin === score} onChange={() => edit(setSkin)(score)} />
                <span>{score}</span>
              </label>
            ))}
          </div>
          <p id="skin-answer" class="hint">
            {skin === null ? t('checkin.skin.unanswered') : t('checkin.skin.answer', { score: skin })}
          </p>
        </fieldset>

        <fieldset class="effects">
          <legend>
            {t('checkin.effects.legend')} <SourceIds facts={['EXP-8']} />
          </legend>
          <table class="effect-grid">
            <thead>
              <tr>
                <th scope="col">{t('checkin.effects.effect')}</th>
                {SEVERITIES.map((s) => (
                  <th scope="col" key={s.value}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {EFFECTS.map((effect) => (
                <tr key={effect.key}>
                  <th scope="row" id={`effect-${effect.key}`}>
                    {effect.label}
                  </th>
                  {SEVERITIES.map((s) => (
                    <td key={s.value}>
                      <input
                        type="radio"
                        name={`effect-${effect.key}`}
                        value={s.value}
                        aria-label={`${effect.label}: ${s.label}`}
                        checked={effects[effect.key] === s.value}
                        onChange={() => edit(setEffects)({ ...effects, [effect.key]: s.value })}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>

        <fieldset class="red-flags">
          <legend>
            {t('checkin.flags.legend')} <SourceIds facts={['RED-11']} />
          </legend>
          {redFlagsFor(current.pregnancy_prevention).map((flag) => (
            <Checkbox
              key={flag.key}
              id={`flag-${flag.key}`}
              label={flag.label}
              checked={flags.includes(flag.key)}
              onChange={(on) => edit(setFlags)(on ? [...flags, flag.key] : flags.filter((f) => f !== flag.key))}
            />
          ))}
        </fieldset>

        <WhoSees />
        <TextAreaField id="checkin-note" label={t('checkin.note')} value={note} onInput={edit(setNote)} maxLength={2000} rows={2} />
        {empty && nothingAnswered && (
          <p class="error" role="alert">
            {t('checkin.empty')}
          </p>
        )}
        <div class="button-row">
          <button type="submit" class="button button-primary">
            {t('checkin.save')}
          </button>
          <button type="button" class="button" onClick={clear}>
            {t('checkin.clear')}
          </button>
        </div>
      </form>
    </div>
  );
}
