import { useEffect, useState } from 'preact/hooks';
import { lockScreenWording, NEUTRAL_BODY, setLockScreenWording, type LockScreenWording } from '../lib/lockScreen';
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
      legend="On the lock screen, the mood check reminder says"
      hint="Anyone who sees your phone can read its lock screen. This is kept on this phone only."
      choices={[
        { value: 'full', label: '“How have you been feeling this week?” and what to do if you feel low' },
        { value: 'neutral', label: `Only “${NEUTRAL_BODY}”`, hint: 'The questions show once you open it.' },
      ]}
      value={wording}
      onChange={(next) => {
        setWording(next);
        void setLockScreenWording(next).then(() => announce('Saved on this phone.'));
      }}
    />
  );
}
