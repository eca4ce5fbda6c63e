import { useState } from 'preact/hooks';
import { Checkbox, Field } from '../components/Form';
import { t } from '../i18n';
import { caregiverApi } from '../lib/caregivers';
import { messageFor } from '../lib/errors';
import type { Caregiving } from '../types';
import { turnOnPush, type PushOutcome } from './push';

const PROBLEM: Partial<Record<PushOutcome, string>> = {
  denied: 'caregiver.nudge.denied',
  'ios-install-first': 'caregiver.nudge.ios',
  unsupported: 'caregiver.nudge.unsupported',
};

/** The caregiver's one notification (the Medfriend rule) and quiet hours; the patient may switch it off. */
export function NudgeSettings({ token, data, onChange }: { token: string; data: Caregiving; onChange: (view: Caregiving) => void }) {
  const [start, setStart] = useState(data.quiet_start ?? '');
  const [end, setEnd] = useState(data.quiet_end ?? '');
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const save = async (nudge: boolean) => {
    if (Boolean(start) !== Boolean(end)) {
      setProblem(t('caregiver.nudge.quiet.both'));
      return;
    }
    setBusy(true);
    setProblem(null);
    setStatus(null);
    try {
      if (nudge && !data.push) {
        const { outcome, view } = await turnOnPush(token);
        if (outcome !== 'on') {
          if (PROBLEM[outcome]) setProblem(t(PROBLEM[outcome]!));
          return;
        }
        if (view) onChange(view);
      }
      onChange(await caregiverApi.settings(token, { nudge, quiet_start: start || null, quiet_end: end || null }));
      setStatus(t('caregiver.nudge.saved'));
    } catch (failure) {
      setProblem(t('caregiver.nudge.failed', { reason: messageFor(failure) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="nudge-heading">
      <h2 id="nudge-heading">{t('caregiver.nudge.heading')}</h2>
      <p>{t('caregiver.nudge.text')}</p>
      <p class="muted">{t('caregiver.nudge.quiet_rule')}</p>
      {!data.nudge_allowed && <p class="notice">{t('caregiver.nudge.not_allowed')}</p>}
      <Checkbox id="care-nudge" label={t('caregiver.nudge.switch')} checked={data.nudge} disabled={busy} onChange={(on) => void save(on)} />
      <fieldset class="field-pair">
        <legend>{t('caregiver.nudge.quiet.legend')}</legend>
        <Field id="care-quiet-start" type="time" label={t('caregiver.nudge.quiet.from')} value={start} onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)} />
        <Field id="care-quiet-end" type="time" label={t('caregiver.nudge.quiet.to')} value={end} onInput={(e) => setEnd((e.currentTarget as HTMLInputElement).value)} />
      </fieldset>
      <button type="button" class="button button-secondary" disabled={busy} onClick={() => void save(data.nudge)}>
        {t('caregiver.nudge.save')}
      </button>
      {data.nudge && data.push && <p class="muted">{t('caregiver.nudge.push_on')}</p>}
      <p role="status" class="muted">
        {status}
      </p>
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
