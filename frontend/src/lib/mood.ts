/**
 * The mood check's follow-up in the browser, from backend/record/mood.json and the check-in rules, so the
 * advice shows at once as the patient answers (offline too). The same answer as follow_up in
 * backend/record/mood.py: never a score; frequent low mood or loss of interest → the leaflet's advice to
 * stop and phone the prescriber today (MOOD-2); a yes to self-harm → the crisis line first (RED-1).
 */
import english from '../../../backend/record/mood.json';
import { localize, merge } from '../i18n/localized';
import { assemble, saysStop, type TriageAction, type TriageCall, type TriageCase } from './triage';

/** The mood check's texts (intro, questions, answers, follow-up) in the app's language. */
export let MOOD: typeof english = english;
localize('mood', (translation) => {
  MOOD = merge(english, translation);
});

export interface MoodFollowUp {
  crisis: boolean;
  stop: boolean;
  actions: (TriageAction | { key: string; text: string; facts: string[] })[];
  calls: TriageCall[];
}

export function moodFollowUp(interest: string | null, lowMood: string | null, selfHarm: boolean): MoodFollowUp {
  const f = MOOD.follow_up;
  const frequent = f.frequent.includes(interest ?? '') || f.frequent.includes(lowMood ?? '');
  const keys: string[] = [];
  let kase: TriageCase = 'none';
  if (selfHarm) {
    keys.push(...f.crisis.actions);
    kase = f.crisis.case as TriageCase;
  }
  if (frequent) {
    keys.push(...f.frequent_answers.actions);
    if (!selfHarm) kase = f.frequent_answers.case as TriageCase;
  }
  const { actions, calls } = assemble(kase, keys);
  const all = [...actions, ...f.always.map((a) => ({ ...a }))];
  return { crisis: selfHarm, stop: saysStop({ actions }), actions: all, calls };
}
