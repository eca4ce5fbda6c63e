/**
 * A pause in words: what it means and its reason, from backend/course/pauses.json and the red flag labels of
 * the triage rules, bundled at build time so a pause shows in words offline. Apart from `pauses.ts`, which
 * the app shell uses, so the first load carries neither the texts nor the triage rules.
 */
import english from '../../../backend/course/pauses.json';
import { localize, merge } from '../i18n/localized';
import { STOP_REASONS } from './triage';

let texts = english;
/** German writes nouns capitalised, so a red flag's label keeps its first letter there. */
let lowerFirst = true;
let REASONS = texts.reasons as Record<string, { label: string; sentence: string; facts: string[] }>;

/** What a pause means (RED-11): shown on the pause card and in place of the phase's "keep going". */
export let PAUSED_TEXT: { text: string; facts: string[] } = texts.paused;

localize('pauses', (translation, language) => {
  texts = merge(english, translation);
  lowerFirst = language !== 'de';
  REASONS = texts.reasons as typeof REASONS;
  PAUSED_TEXT = texts.paused;
});

/** The reason of a pause in a sentence: the red flag (or effect rule) reported, the mood check or the prescriber. */
export function reasonSentence(reason: string): string {
  const flag = STOP_REASONS.find((f) => f.key === reason);
  if (flag) return texts.red_flag_sentence.replace('{label}', lowerFirst ? flag.label.charAt(0).toLowerCase() + flag.label.slice(1) : flag.label);
  return REASONS[reason]?.sentence ?? REASONS.prescriber.sentence;
}

/** The facts a pause's reason rests on. */
export function reasonFacts(reason: string): string[] {
  return STOP_REASONS.find((f) => f.key === reason)?.facts ?? REASONS[reason]?.facts ?? [];
}
