import { useEffect, useState } from 'preact/hooks';
import { lockScreenWording, neutralBody, setLockScreenWording, type LockScreenWording } from '../lib/lockScreen';
import { t } from '../i18n';
import { announce } from '../store';
import { Choices } from './Form';

/** What the weekly mood check reminder says on this phone's lock screen: its own words or neutral ones. */
export function LockScreenChoice() {
  const [wording, setWording] = useState<LockScreenWording | null>(null);
  useEffect(() => void lockScreenWording().then(setWording), []);
  if (!wording) return null;
  return (
    <Choices
      name="lock-screen"
      legend={t('reminders.lock.legend')}
      hint={t('reminders.lock.hint')}
      choices={[
        { value: 'full', label: t('reminders.lock.full') },
        { value: 'neutral', label: t('reminders.lock.neutral', { body: neutralBody() }), hint: t('reminders.lock.neutral.hint') },
      ]}
      value={wording}
      onChange={(next) => {
        setWording(next);
        void setLockScreenWording(next).then(() => announce(t('reminders.lock.saved')));
      }}
    />
  );
}
