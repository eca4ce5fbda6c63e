import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { messageFor } from '../lib/errors';
import { permission, pushSupport, remindersOnHere, TurnOnTimeout, turnOffReminders, turnOnReminders } from '../push';
import { announce } from '../store';

type State = 'checking' | 'ios-install-first' | 'unsupported' | 'denied' | 'off' | 'on';

async function readState(): Promise<State> {
  const support = pushSupport();
  if (support !== 'supported') return support;
  if (permission() === 'denied') return 'denied';
  if (permission() !== 'granted') return 'off';
  return (await remindersOnHere()) ? 'on' : 'off';
}

function InstallFirst() {
  return (
    <div>
      <p>{t('reminders.ios.intro')}</p>
      <ol class="steps">
        <li>{t('reminders.ios.share')}</li>
        <li>{t('reminders.ios.add')}</li>
        <li>{t('reminders.ios.open')}</li>
      </ol>
      <p class="muted">{t('reminders.ios.storage')}</p>
    </div>
  );
}

/** Turning reminders on (from a tap, never on load) or off for this device, with the reason when it cannot. */
export function PushSetup({ onChange }: { onChange: () => void }) {
  const [state, setState] = useState<State>('checking');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const refresh = () => readState().then(setState, () => setState('off'));
  useEffect(() => {
    void refresh();
  }, []);

  const turnOn = async () => {
    setError(null);
    setBusy(true);
    try {
      const result = await turnOnReminders();
      if (result === 'on') announce(t('reminders.push.on'));
      else if (result === 'dismissed') setError(t('reminders.push.dismissed'));
      await refresh();
      onChange();
    } catch (failure) {
      setError(failure instanceof TurnOnTimeout ? t('reminders.push.timeout') : messageFor(failure));
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  const turnOff = async () => {
    setError(null);
    setBusy(true);
    try {
      await turnOffReminders();
      announce(t('reminders.push.off'));
      await refresh();
      onChange();
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="push-setup" data-state={state}>
      {state === 'checking' && <p class="muted">{t('reminders.push.checking')}</p>}
      {state === 'ios-install-first' && <InstallFirst />}
      {state === 'unsupported' && (
        <p>{t('reminders.push.unsupported')}</p>
      )}
      {state === 'denied' && (
        <div>
          <p>{t('reminders.push.denied')}</p>
          <button type="button" class="button button-secondary" onClick={() => void refresh()}>
            {t('reminders.push.check_again')}
          </button>
        </div>
      )}
      {state === 'off' && (
        <div>
          <p>{t('reminders.push.intro')}</p>
          <button type="button" class="button button-primary" disabled={busy} onClick={turnOn}>
            {busy ? t('reminders.push.turning_on') : t('reminders.push.turn_on')}
          </button>
        </div>
      )}
      {state === 'on' && (
        <div>
          <p class="status-ok">{t('reminders.push.on')}</p>
          <button type="button" class="button button-quiet" disabled={busy} onClick={turnOff}>
            {t('reminders.push.turn_off')}
          </button>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
