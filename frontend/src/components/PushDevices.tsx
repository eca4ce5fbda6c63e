import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { getPushRecord } from '../lib/db';
import { formatInstant } from '../lib/dates';
import { messageFor } from '../lib/errors';
import { announce } from '../store';
import type { PushDevice, PushTest, PushTestResult } from '../types';

const SERVICES: [RegExp, string][] = [
  [/fcm\.googleapis\.com|android\.googleapis\.com/, 'Chrome or Android'],
  [/mozilla\.com/, 'Firefox'],
  [/push\.apple\.com/, 'Safari'],
  [/notify\.windows\.com/, 'Edge'],
];

function deviceName(device: PushDevice): string {
  const service = SERVICES.find(([pattern]) => pattern.test(device.endpoint_origin))?.[1];
  return [device.user_agent, service].filter(Boolean).join(' · ') || 'Browser';
}

function testText(result: PushTestResult): string {
  if (result.ok) return 'Test sent: a notification should appear on this device.';
  if (result.gone) return 'Test failed: this device no longer accepts reminders and was removed. Turn reminders on there again.';
  const code = result.status_code ? ` (${result.status_code})` : '';
  return `Test failed${code}: ${result.error || 'the push service did not accept it'}.`;
}

/**
 * When a reminder last reached the device, from the server's delivery receipts. What the server
 * knows is that the device's push service (Apple, Google, Mozilla) accepted it; it cannot see
 * whether the phone showed it, so the text says exactly that.
 */
function Delivery({ device, phone }: { device: PushDevice; phone: string }) {
  const failedLast = device.last_failure_at && (!device.last_success_at || device.last_failure_at > device.last_success_at);
  return (
    <>
      <p class="last-reached">
        {device.last_success_at
          ? `Reminders last reached ${phone} on ${formatInstant(device.last_success_at)}.`
          : `No reminder has reached ${phone} yet.`}
      </p>
      {device.last_success_at && (
        <p class="muted">That is when its push service accepted the last one; the server cannot see whether the phone showed it.</p>
      )}
      {failedLast && (
        <p class="delivery-failed">
          Last attempt failed {formatInstant(device.last_failure_at!)}
          {device.last_status ? ` (${device.last_status})` : ''}
          {device.last_error ? `: ${device.last_error}` : ''}
        </p>
      )}
    </>
  );
}

const POLL_MS = 1000;
const GIVE_UP_MS = 90_000; // above the server's total deadline per message (30 s) and its worker's poll

/** The server queues the test for its reminder worker: ask how it went until every device answered
 * (null: still not done after GIVE_UP_MS). */
async function finishedTest(queued: PushTest): Promise<PushTestResult[] | null> {
  const giveUp = Date.now() + GIVE_UP_MS;
  let test = queued;
  while (test.status !== 'done') {
    if (Date.now() > giveUp) return null;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    test = await api.pushTest(test.id);
  }
  return test.results ?? [];
}

/** The devices that get reminders, each with when a reminder last reached it and a Test button, and a
 * test notification to all of them: a silent phone shows up as a failed or never-arriving test. */
export function PushDevices({ refreshKey }: { refreshKey: number }) {
  const [devices, setDevices] = useState<PushDevice[] | null>(null);
  const [thisDevice, setThisDevice] = useState<string | null>(null);
  const [results, setResults] = useState<Record<string, PushTestResult>>({});
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [testing, setTesting] = useState<string | null>(null);

  const load = async () => {
    try {
      const [list, record] = await Promise.all([api.pushDevices(), getPushRecord()]);
      setDevices(list);
      setThisDevice(record?.subscriptionId ?? null);
      setError(null);
    } catch (failure) {
      setError(messageFor(failure));
    }
  };
  useEffect(() => {
    void load();
  }, [refreshKey]);

  const sendTest = async () => {
    setSending(true);
    setError(null);
    try {
      const sent = await finishedTest(await api.sendTestPush());
      if (sent === null) {
        setError('The test notification is still on its way. Look at your devices in a minute.');
        return;
      }
      setResults(Object.fromEntries(sent.map((r) => [r.subscription_id, r])));
      const ok = sent.filter((r) => r.ok).length;
      announce(sent.length ? `Test sent to ${ok} of ${sent.length} device${sent.length === 1 ? '' : 's'}.` : 'No device to send to.');
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setSending(false);
    }
  };

  const testOne = async (device: PushDevice) => {
    setTesting(device.id);
    setError(null);
    try {
      const sent = await finishedTest(await api.sendTestPush(device.id));
      if (sent === null) {
        setError(`The test notification to ${deviceName(device)} is still on its way. Look at that device in a minute.`);
        return;
      }
      setResults((before) => ({ ...before, ...Object.fromEntries(sent.map((r) => [r.subscription_id, r])) }));
      const mine = sent.find((r) => r.subscription_id === device.id);
      announce(mine ? testText(mine) : `${deviceName(device)} no longer gets reminders.`);
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setTesting(null);
    }
  };

  const remove = async (device: PushDevice) => {
    try {
      await api.removePushDevice(device.id);
      announce(`${deviceName(device)} will no longer get reminders.`);
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  return (
    <div>
      {devices === null && !error && <p class="muted">Loading devices…</p>}
      {devices?.length === 0 && <p class="muted">No device gets reminders yet.</p>}
      {devices && devices.length > 0 && (
        <ul class="devices push-devices">
          {devices.map((device) => {
            const result = results[device.id];
            return (
              <li key={device.id} data-subscription={device.id}>
                <div>
                  <p class="device-name">
                    {deviceName(device)}
                    {device.id === thisDevice && <span class="badge">this device</span>}
                  </p>
                  <Delivery device={device} phone={device.id === thisDevice ? 'this phone' : 'this device'} />
                  {result && <p class={result.ok ? 'status-ok test-result' : 'error test-result'}>{testText(result)}</p>}
                </div>
                <div class="device-actions">
                  <button
                    type="button"
                    class="button button-quiet test-device"
                    disabled={sending || testing !== null}
                    onClick={() => testOne(device)}
                  >
                    {testing === device.id ? 'Testing…' : 'Test'}
                    <span class="visually-hidden"> {deviceName(device)}</span>
                  </button>
                  {device.id !== thisDevice && (
                    <button type="button" class="button button-quiet" onClick={() => remove(device)}>
                      Remove<span class="visually-hidden"> {deviceName(device)}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" class="button button-secondary" disabled={sending || testing !== null || !devices?.length} onClick={sendTest}>
        {sending ? 'Sending…' : 'Send a test notification'}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
