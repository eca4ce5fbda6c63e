/**
 * Check-in triage in the browser, from the same rule file the server uses
 * (backend/record/triage_rules.json, bundled at build time), so a check-in is triaged at once offline.
 * The server's answer replaces this one when it arrives (it is authoritative).
 */
import rules from '../../../backend/record/triage_rules.json';
import { localize, merge } from '../i18n/localized';

export type TriageLevel = 'emergency' | 'urgent' | 'routine' | 'none';
/** Which buttons lead: the emergency number, the crisis line (self-harm alone), the clinic (urgent). */
export type TriageCase = 'emergency' | 'self_harm' | 'urgent' | 'routine' | 'none';
export type CallKind = 'emergency' | 'crisis' | 'clinic';

export interface TriageAction {
  key: string;
  text: string;
  facts: string[];
  /** The action tells the patient to stop the capsules. */
  stops_capsules?: boolean;
  /** The action speaks of a crisis line. */
  crisis?: boolean;
  /** The wording where the country has no crisis line we can name (HELP-6). */
  text_without_line?: string;
}

export interface TriageReason {
  kind: 'red_flag' | 'effect' | 'severity' | 'streak';
  key: string;
  level: TriageLevel;
  facts: string[];
  days?: number;
  window_days?: number;
}

export interface TriageCall {
  call: CallKind;
  note: string | null;
}

export interface Triage {
  level: TriageLevel;
  case: TriageCase;
  facts: string[];
  actions: TriageAction[];
  reasons: TriageReason[];
  calls: TriageCall[];
}

export interface EffectRule {
  key: string;
  label: string;
  facts: string[];
}

export interface RedFlagRule extends EffectRule {
  level: TriageLevel;
  actions: string[];
  when?: string;
}

interface ActionSpec {
  text: string;
  facts: string[];
  stops_capsules?: boolean;
  crisis?: boolean;
  text_without_line?: string;
  replaced_by?: string[];
}

interface CaseSpec {
  lead: string[];
  calls: { call: CallKind; note?: string; if?: string }[];
}

// The texts below follow the app's language (`localize`); the logic reads only ids, levels and facts, which
// every language shares, so the triage answers the same in each.
export let EFFECTS: EffectRule[] = rules.effects;
export let RED_FLAGS: RedFlagRule[] = rules.red_flags as RedFlagRule[];
export let SEVERITIES: { value: number; label: string }[] = rules.severities;
/** "Nobody watches these answers as you give them…" (MOOD-2), beside every check-in and result. */
export let WHO_SEES: { text: string; facts: string[] } = rules.who_sees;
const LEVELS: TriageLevel[] = ['emergency', 'urgent', 'routine', 'none'];
let ACTIONS = rules.actions as Record<string, ActionSpec>;
const CASES = rules.cases as Record<TriageCase, CaseSpec>;
let NOTES = rules.call_notes as Record<string, string>;
const CRISIS_FIRST = new Set<string>(rules.crisis_first_flags);

/** What a pause may record as its reason from a check-in: every red flag and every effect rule (by its effect). */
export let STOP_REASONS: { key: string; label: string; facts: string[] }[] = stopReasons(rules);

function stopReasons(texts: typeof rules): { key: string; label: string; facts: string[] }[] {
  return [
    ...texts.red_flags.map((f) => ({ key: f.key, label: f.label, facts: f.facts })),
    ...texts.effect_rules.map((r) => ({ key: r.effect, label: r.label, facts: r.facts })),
  ];
}

localize('triage_rules', (translation) => {
  const texts = merge(rules, translation);
  EFFECTS = texts.effects;
  RED_FLAGS = texts.red_flags as RedFlagRule[];
  SEVERITIES = texts.severities;
  WHO_SEES = texts.who_sees;
  ACTIONS = texts.actions as Record<string, ActionSpec>;
  NOTES = texts.call_notes as Record<string, string>;
  STOP_REASONS = stopReasons(texts);
});

/** The red flags a course is asked about: the pregnancy ones only where pregnancy prevention applies. */
export function redFlagsFor(pregnancyPrevention: boolean): RedFlagRule[] {
  return RED_FLAGS.filter((f) => f.when !== 'pregnancy_prevention' || pregnancyPrevention);
}

function dayBefore(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** On how many days of the `window` days ending on `date` `effect` was reported (severity ≥ 1). */
/** Unanswered effects (null) count as not reported, like days without a check-in. */
type Effects = Record<string, number | null>;

export function windowDays(effect: string, date: string, todaySeverity: number, history: Record<string, Effects>, window: number): number {
  if (todaySeverity < 1) return 0;
  let count = 1;
  for (let n = 1; n < window; n += 1) if ((history[dayBefore(date, n)]?.[effect] ?? 0) >= 1) count += 1;
  return count;
}

export function actionOf(key: string): TriageAction {
  const spec = ACTIONS[key];
  const out: TriageAction = { key, text: spec.text, facts: [...spec.facts] };
  if (spec.stops_capsules !== undefined) out.stops_capsules = spec.stops_capsules;
  if (spec.crisis !== undefined) out.crisis = spec.crisis;
  if (spec.text_without_line !== undefined) out.text_without_line = spec.text_without_line;
  return out;
}

function caseOf(level: TriageLevel, reasons: TriageReason[]): TriageCase {
  const emergencies = reasons.filter((r) => r.level === 'emergency').map((r) => r.key);
  if (emergencies.some((key) => !CRISIS_FIRST.has(key))) return 'emergency';
  if (emergencies.length > 0) return 'self_harm';
  return level;
}

/** The same answer as backend/record/triage.py for the same input. */
export function triage(date: string, effects: Effects, redFlags: string[], history: Record<string, Effects> = {}): Triage {
  const found: [TriageReason, string[]][] = [];
  const ticked = new Set(redFlags);
  for (const flag of RED_FLAGS) {
    if (ticked.has(flag.key)) found.push([{ kind: 'red_flag', key: flag.key, level: flag.level, facts: [...flag.facts] }, [...flag.actions]]);
  }
  const ruled = new Set<string>();
  for (const rule of rules.effect_rules) {
    if ((effects[rule.effect] ?? 0) >= rule.severity_at_least) {
      ruled.add(rule.effect);
      found.push([{ kind: 'effect', key: rule.effect, level: rule.level as TriageLevel, facts: [...rule.facts] }, [...rule.actions]]);
    }
  }
  const routine = rules.routine;
  for (const effect of EFFECTS) {
    if (!ruled.has(effect.key) && (effects[effect.key] ?? 0) >= routine.severity_at_least) {
      found.push([{ kind: 'severity', key: effect.key, level: 'routine', facts: [...effect.facts] }, [...routine.actions]]);
    }
  }
  for (const streak of routine.streaks) {
    const count = windowDays(streak.effect, date, effects[streak.effect] ?? 0, history, streak.window_days);
    if (!ruled.has(streak.effect) && count >= streak.days_at_least) {
      const effectFacts = EFFECTS.find((e) => e.key === streak.effect)?.facts ?? [];
      const facts = [...new Set([...streak.facts, ...effectFacts])].sort();
      found.push([{ kind: 'streak', key: streak.effect, level: 'routine', days: count, window_days: streak.window_days, facts }, [...routine.actions]]);
    }
  }
  found.sort((a, b) => LEVELS.indexOf(a[0].level) - LEVELS.indexOf(b[0].level));
  const reasons = found.map(([reason]) => reason);
  const level = reasons.reduce<TriageLevel>((best, r) => (LEVELS.indexOf(r.level) < LEVELS.indexOf(best) ? r.level : best), 'none');
  const kase = caseOf(level, reasons);
  const keys: string[] = [];
  for (const [reason, actions] of found) {
    if (reason.level === 'emergency' || reason.level === 'urgent' || reason.level === level) keys.push(...actions);
  }
  const { actions, calls } = assemble(kase, keys);
  const facts = [...new Set([...reasons.flatMap((r) => r.facts), ...actions.flatMap((a) => a.facts)])].sort();
  return { level, case: kase, facts, actions, reasons, calls };
}

/**
 * The case's lead actions, then `actionKeys`, each once, without those `replaced_by` a stronger one
 * present; then the case's call order (the crisis line only where an action speaks of one). Shared by
 * the check-in triage and the mood check; the same as `assemble` in backend/record/triage.py.
 */
export function assemble(kase: TriageCase, actionKeys: string[]): { actions: TriageAction[]; calls: TriageCall[] } {
  let keys: string[] = [];
  for (const key of [...CASES[kase].lead, ...actionKeys]) if (!keys.includes(key)) keys.push(key);
  keys = keys.filter((key) => !(ACTIONS[key].replaced_by ?? []).some((other) => keys.includes(other)));
  const actions = keys.map(actionOf);
  const crisis = actions.some((a) => a.crisis);
  const calls = CASES[kase].calls.filter((c) => c.if !== 'crisis' || crisis).map((c) => ({ call: c.call, note: c.note ? NOTES[c.note] : null }));
  return { actions, calls };
}

/** Whether a result tells the patient to stop the capsules (an action marked `stops_capsules` in the rules). */
export function saysStop(result: Pick<Triage, 'actions'>): boolean {
  return result.actions.some((action) => action.stops_capsules ?? ACTIONS[action.key]?.stops_capsules ?? false);
}
