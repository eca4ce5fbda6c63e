/**
 * Check-in triage in the browser, from the same rule file the server uses
 * (backend/record/triage_rules.json, bundled at build time), so a check-in is triaged at once offline.
 * The server's answer replaces this one when it arrives (it is authoritative).
 */
import rules from '../../../backend/record/triage_rules.json';

export type TriageLevel = 'emergency' | 'urgent' | 'routine' | 'none';

export interface TriageAction {
  key: string;
  text: string;
  facts: string[];
  /** Set when the action says to stop the capsules: the panel then offers to record a pause. */
  stops_capsules?: boolean;
}

export interface TriageReason {
  kind: 'red_flag' | 'severity' | 'streak';
  key: string;
  level: TriageLevel;
  facts: string[];
  days?: number;
}

export interface Triage {
  level: TriageLevel;
  facts: string[];
  actions: TriageAction[];
  reasons: TriageReason[];
}

export interface EffectRule {
  key: string;
  label: string;
  facts: string[];
}

export interface RedFlagRule extends EffectRule {
  level: TriageLevel;
  actions: string[];
}

export const EFFECTS: EffectRule[] = rules.effects;
export const RED_FLAGS: RedFlagRule[] = rules.red_flags as RedFlagRule[];
export const SEVERITIES: { value: number; label: string }[] = rules.severities;
const LEVELS: TriageLevel[] = ['emergency', 'urgent', 'routine', 'none'];
const ACTIONS = rules.actions as Record<string, { text: string; facts: string[]; stops_capsules?: boolean }>;
const LEVEL_ACTIONS = rules.level_actions as Record<TriageLevel, string[]>;

function previousDay(date: string): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Days in a row, ending on `date`, that `effect` was reported (severity ≥ 1). */
export function streakDays(effect: string, date: string, todaySeverity: number, history: Record<string, Record<string, number>>): number {
  if (todaySeverity < 1) return 0;
  let count = 1;
  for (let day = previousDay(date); (history[day]?.[effect] ?? 0) >= 1; day = previousDay(day)) count += 1;
  return count;
}

/** The same answer as backend/record/triage.py for the same input. */
export function triage(date: string, effects: Record<string, number>, redFlags: string[], history: Record<string, Record<string, number>> = {}): Triage {
  const reasons: TriageReason[] = [];
  const ticked = new Set(redFlags);
  for (const flag of RED_FLAGS) {
    if (ticked.has(flag.key)) reasons.push({ kind: 'red_flag', key: flag.key, level: flag.level, facts: [...flag.facts] });
  }
  for (const effect of EFFECTS) {
    if ((effects[effect.key] ?? 0) >= rules.routine.severity_at_least) {
      reasons.push({ kind: 'severity', key: effect.key, level: 'routine', facts: [...effect.facts] });
    }
  }
  for (const streak of rules.routine.streaks) {
    if (streakDays(streak.effect, date, effects[streak.effect] ?? 0, history) >= streak.days) {
      const effectFacts = EFFECTS.find((e) => e.key === streak.effect)?.facts ?? [];
      const facts = [...new Set([...streak.facts, ...effectFacts])].sort();
      reasons.push({ kind: 'streak', key: streak.effect, level: 'routine', days: streak.days, facts });
    }
  }
  const level = reasons.reduce<TriageLevel>((best, r) => (LEVELS.indexOf(r.level) < LEVELS.indexOf(best) ? r.level : best), 'none');
  const keys = [...LEVEL_ACTIONS[level]];
  for (const reason of reasons) {
    if (reason.kind !== 'red_flag') continue;
    for (const key of RED_FLAGS.find((f) => f.key === reason.key)?.actions ?? []) if (!keys.includes(key)) keys.push(key);
  }
  const actions = keys.map((key) => ({ key, ...ACTIONS[key], facts: [...ACTIONS[key].facts] }));
  const facts = [...new Set([...reasons.flatMap((r) => r.facts), ...actions.flatMap((a) => a.facts)])].sort();
  return { level, facts, actions, reasons };
}

/** Whether a result tells the patient to stop the capsules (an action marked `stops_capsules` in the rules). */
export function saysStop(result: Pick<Triage, 'actions'>): boolean {
  return result.actions.some((action) => action.stops_capsules ?? ACTIONS[action.key]?.stops_capsules ?? false);
}
