import { useEffect, useState } from 'preact/hooks';
import { messageFor } from '../lib/errors';
import { permission, pushSupport, remindersOnHere, TurnOnTimeout, turnOffReminders, turnOnReminders } from '../push';

const TIMEOUT_ADVICE =
  'Reminders could not be turned on: your browser’s notification service did not answer within 15 seconds. ' +
  'Check that you are online, then try again. If it keeps failing, close and reopen the browser, or check that ' +
  'battery or data saving is not blocking notifications for this browser.';
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
      <p>On iPhone and iPad, reminders only work once ClearCourse is on your Home Screen:</p>
      <ol class="steps">
        <li>
          Tap the <strong>Share</strong> button in Safari.
        </li>
        <li>
          Choose <strong>Add to Home Screen</strong>, then <strong>Add</strong>.
        </li>
        <li>Open ClearCourse from its new icon and come back to Reminders.</li>
      </ol>
      <p class="muted">
        The Home Screen app keeps its own storage: link it to this account with a code from Settings → Link another device.
      </p>
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
      if (result === 'on') announce('Reminders are on for this device.');
      else if (result === 'dismissed') setError('Notifications were not allowed. Tap the button again and choose Allow.');
      await refresh();
      onChange();
    } catch (failure) {
      setError(failure instanceof TurnOnTimeout ? TIMEOUT_ADVICE : messageFor(failure));
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
      announce('Reminders are off for this device.');
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
      {state === 'checking' && <p class="muted">Checking this device…</p>}
      {state === 'ios-install-first' && <InstallFirst />}
      {state === 'unsupported' && (
        <p>
          This browser cannot show reminders. Use a current Chrome, Edge, Firefox or Safari (on iPhone and iPad: from the Home
          Screen).
        </p>
      )}
      {state === 'denied' && (
        <div>
          <p>
            Notifications are blocked for ClearCourse in this browser. Allow them in the browser’s site settings (the icon next to
            the address, or Settings → Notifications on a phone), then check again.
          </p>
          <button type="button" class="button button-secondary" onClick={() => void refresh()}>
            Check again
          </button>
        </div>
      )}
      {state === 'off' && (
        <div>
          <p>Get a notification when a capsule is due and before visits and tests. Your browser will ask for permission.</p>
          <button type="button" class="button button-primary" disabled={busy} onClick={turnOn}>
            {busy ? 'Turning on…' : 'Turn on reminders'}
          </button>
        </div>
      )}
      {state === 'on' && (
        <div>
          <p class="status-ok">Reminders are on for this device.</p>
          <button type="button" class="button button-quiet" disabled={busy} onClick={turnOff}>
            Turn off on this device
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
