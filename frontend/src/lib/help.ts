/**
 * Emergency numbers, crisis, text and youth lines (HELP-1, HELP-3..6) from the server's own data file,
 * bundled at build time so the "Get help" screen works with no network. The country is the course's;
 * before there is a course (or when the course names none) it comes from the phone's time zone.
 *
 * `callButtons` is the one ordering rule every panel uses: the triage (or mood) result names the calls in
 * order (`calls`, from the shared rule files); this turns them into the buttons for the patient's
 * country, saved clinic number and age answer.
 */
import { countries, directory, words } from '../../../backend/course/helplines.json';
import { fill, localize, merge } from '../i18n/localized';
import { detectTimeZone } from './dates';
export { setUnder18, under18 } from './prefs';
import type { TriageAction, TriageCall } from './triage';

export interface HelpSource {
  title: string;
  url: string;
}

export interface HelpLine {
  name: string;
  number: string;
  also?: string;
  sms: string | null;
  free: boolean | null;
  hours: string | null;
  note: string;
  verify: string[];
  text?: { number: string; keyword: string | null };
  /** The line answers in these app languages too (the US 988 in Spanish, HELP-4), said in `text`. */
  in_language?: { languages: string[]; text: string; facts: string[] };
  facts: string[];
  source: HelpSource;
}

export interface TextLine {
  name: string;
  number: string;
  keyword: string | null;
  note: string;
  verify: string[];
  facts: string[];
  source: HelpSource;
}

export interface HelpCountry {
  code: string;
  name: string;
  emergency: { number: string; also?: string; facts: string[] };
  crisis: HelpLine[];
  text_line: TextLine | null;
  youth: HelpLine[];
  zones: string[];
}

type Directory = { name: string; url: string; verify: string[]; facts: string[] };
const english = { countries, directory, words }; // named imports: the file's notes stay out of the bundle

/** Every country's numbers and lines, names and notes in the app's language (numbers never change). */
export let HELP_COUNTRIES: HelpCountry[] = english.countries as HelpCountry[];
/** The international directory linked where a country has no line we can name (HELP-6, verify). */
export let DIRECTORY: Directory = english.directory;
let WORDS = english.words;
let LANGUAGE = 'en';

localize('helplines', (translation, language) => {
  const texts = merge(english, translation);
  HELP_COUNTRIES = texts.countries as HelpCountry[];
  DIRECTORY = texts.directory;
  WORDS = texts.words;
  LANGUAGE = language;
});

export function countryByCode(code: string | null | undefined): HelpCountry | null {
  return HELP_COUNTRIES.find((c) => c.code === code) ?? null;
}

export function countryForZone(zone: string): HelpCountry | null {
  return HELP_COUNTRIES.find((c) => c.zones.includes(zone)) ?? null;
}

/** The country whose numbers to show: the course's choice, else the phone's time zone. */
export function helpCountry(course: { country?: string | null; timezone: string } | null): HelpCountry | null {
  if (course && course.country !== undefined) return countryByCode(course.country);
  return countryForZone(course?.timezone ?? detectTimeZone());
}

/** "116 123" → "116123" for a tel: or sms: link. */
export function dialable(number: string): string {
  return number.replace(/[^0-9+]/g, '');
}

/** What the app says where it can name no crisis line for the country (HELP-6): no promise of one. */
export function noLineText(country: HelpCountry): string {
  return fill(WORDS.no_line.text, { country: country.name, number: country.emergency.number });
}

/** An action's words for this country: the "no line" wording where it has no crisis line (HELP-6). */
export function actionText(action: Pick<TriageAction, 'text' | 'text_without_line'>, country: HelpCountry | null): string {
  return country && country.crisis.length === 0 && action.text_without_line ? action.text_without_line : action.text;
}

// ---------------------------------------------------------------- the buttons, in order

export type CallButton =
  | { kind: 'emergency'; href: string; label: string; note: string }
  | { kind: 'crisis' | 'crisis_text' | 'youth' | 'youth_text'; href: string; label: string; note: string; facts: string[] }
  | { kind: 'clinic'; href: string; label: string; note: string }
  | { kind: 'save_clinic'; href: string; label: string; note: null }
  | { kind: 'directory'; href: string; label: string; note: string; facts: string[] };

function smsHref(number: string, keyword: string | null): string {
  return keyword ? `sms:${dialable(number)}?body=${encodeURIComponent(keyword)}` : `sms:${dialable(number)}`;
}

function textLabel(number: string, keyword: string | null): string {
  return keyword ? fill(WORDS.text_keyword, { keyword, number }) : fill(WORDS.text, { number });
}

/** What the line says it offers in the patient's language, where it does (HELP-4), after its note. */
function inLanguage(line: HelpLine): { note: string; facts: string[] } {
  const offer = line.in_language;
  if (!offer || !offer.languages.includes(LANGUAGE)) return { note: '', facts: line.facts };
  return { note: `. ${offer.text}`, facts: [...new Set([...line.facts, ...offer.facts])].sort() };
}

function lineButtons(line: HelpLine, kind: 'crisis' | 'youth'): CallButton[] {
  const also = line.also ? fill(WORDS.or_also, { number: line.also }) : '';
  const own = inLanguage(line);
  const out: CallButton[] = [
    { kind, href: `tel:${dialable(line.number)}`, label: fill(WORDS.call, { number: line.number }), note: `${line.name}, ${line.note}${also}${own.note}`, facts: own.facts },
  ];
  const text = kind === 'crisis' ? 'crisis_text' : 'youth_text';
  if (line.sms) out.push({ kind: text, href: smsHref(line.sms, null), label: textLabel(line.sms, null), note: line.name, facts: line.facts });
  if (line.text) {
    out.push({ kind: text, href: smsHref(line.text.number, line.text.keyword), label: textLabel(line.text.number, line.text.keyword), note: line.name, facts: line.facts });
  }
  return out;
}

function crisisButtons(country: HelpCountry, young: boolean): CallButton[] {
  const out = country.crisis.flatMap((line) => lineButtons(line, 'crisis'));
  const t = country.text_line;
  if (t) {
    out.push({
      kind: 'crisis_text',
      href: smsHref(t.number, t.keyword),
      label: textLabel(t.number, t.keyword),
      note: `${t.name}, ${t.note}`,
      facts: t.facts,
    });
  }
  if (young) out.push(...country.youth.flatMap((line) => lineButtons(line, 'youth')));
  return out;
}

/** Numbers shared by several countries, listed once: "112" → "Austria, Belgium, …". */
export function grouped(pick: (c: HelpCountry) => string[]): Array<[string, string[]]> {
  const by = new Map<string, string[]>();
  for (const c of HELP_COUNTRIES) for (const number of pick(c)) by.set(number, [...(by.get(number) ?? []), c.name]);
  return [...by.entries()];
}

export function regions(names: string[]): string {
  return names.length > 4 ? WORDS.the_eu : names.join(', ');
}

/**
 * The buttons for `calls` (from triage_rules.json or mood.json), in that order, for this country:
 * the emergency number (with the call's note), the crisis line (call, then text lines; youth lines too
 * when the patient said they are under 18), the clinic ("Call your clinic", or a link to save its number).
 * Where the country has no crisis line we can name, the crisis slot becomes the emergency number (if not
 * already shown, and without a note that assumes a line) followed by the international directory.
 * Without a known country every listed emergency number and crisis line is given with where it works.
 */
export function callButtons(calls: TriageCall[], country: HelpCountry | null, opts: { clinicPhone: string | null; under18: boolean | null }): CallButton[] {
  const noLine = country !== null && country.crisis.length === 0;
  const wantsCrisis = calls.some((c) => c.call === 'crisis');
  const out: CallButton[] = [];
  const emergency = (note: string | null): CallButton[] => {
    if (!country) {
      return grouped((c) => [c.emergency.number]).map(([number, names]) => ({
        kind: 'emergency',
        href: `tel:${dialable(number)}`,
        label: fill(WORDS.call, { number }),
        note: `${fill(WORDS.emergency_in, { where: regions(names) })}${note ? `: ${note}` : ''}`,
      }));
    }
    const label = fill(WORDS.call, { number: country.emergency.number });
    return [{ kind: 'emergency', href: `tel:${dialable(country.emergency.number)}`, label, note: `${fill(WORDS.emergency_in, { where: country.name })}${note ? `: ${note}` : ''}` }];
  };
  for (const call of calls) {
    if (call.call === 'emergency') {
      if (out.some((b) => b.kind === 'emergency')) continue;
      out.push(...emergency(noLine && wantsCrisis ? null : call.note));
    } else if (call.call === 'crisis') {
      if (country === null) {
        for (const [number, names] of grouped((c) => c.crisis.map((l) => l.number))) {
          out.push({ kind: 'crisis', href: `tel:${dialable(number)}`, label: fill(WORDS.call, { number }), note: fill(WORDS.crisis_in, { where: regions(names) }), facts: ['HELP-1', 'HELP-3'] });
        }
      } else if (noLine) {
        if (!out.some((b) => b.kind === 'emergency')) out.push(...emergency(null));
        out.push({ kind: 'directory', href: DIRECTORY.url, label: WORDS.find_helpline, note: fill(WORDS.directory_note, { name: DIRECTORY.name }), facts: DIRECTORY.facts });
      } else {
        out.push(...crisisButtons(country, opts.under18 === true));
      }
    } else if (opts.clinicPhone) {
      out.push({ kind: 'clinic', href: `tel:${dialable(opts.clinicPhone)}`, label: WORDS.call_clinic, note: opts.clinicPhone });
    } else {
      out.push({ kind: 'save_clinic', href: '/help#clinic', label: WORDS.save_clinic, note: null });
    }
  }
  return out;
}
