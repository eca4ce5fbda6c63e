import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { getPushRecord } from '../lib/db';
import { formatInstant } from '../lib/dates';
import { messageFor } from '../lib/errors';
import { t } from '../i18n';
import { announce } from '../store';
import type { PushDevice, PushTest, PushTestResult } from '../types';

const SERVICES: [RegExp, () => string][] = [
  [/fcm\.googleapis\.com|android\.googleapis\.com/, () => t('reminders.devices.chrome')],
  [/mozilla\.com/, () => 'Firefox'],
  [/push\.apple\.com/, () => 'Safari'],
  [/notify\.windows\.com/, () => 'Edge'],
];

function deviceName(device: PushDevice): string {
  const service = SERVICES.find(([pattern]) => pattern.test(device.endpoint_origin))?.[1]();
  return [device.user_agent, service].filter(Boolean).join(' · ') || t('reminders.devices.browser');
}

function testText(result: PushTestResult): string {
  if (result.ok) return t('reminders.test.ok');
  if (result.gone) return t('reminders.test.gone');
  const code = result.status_code ? ` (${result.status_code})` : '';
  return t('reminders.test.failed', { code, error: result.error || t('reminders.test.refused') });
}

/**
 * When a reminder last reached the device, from the server's delivery receipts. What the server
 * knows is that the device's push service (Apple, Google, Mozilla) accepted it; it cannot see
 * whether the phone showed it, so the text says exactly that.
 */
function Delivery({ device, phone }: { device: PushDevice; phone: 'phone' | 'device' }) {
  const failedLast = device.last_failure_at && (!device.last_success_at || device.last_failure_at > device.last_success_at);
  return (
    <>
      <p class="last-reached">
        {device.last_success_at
          ? t('reminders.devices.reached', { here: phone, when: formatInstant(device.last_success_at) })
          : t('reminders.devices.never', { here: phone })}
      </p>
      {device.last_success_at && (
        <p class="muted">{t('reminders.devices.reached.note')}</p>
      )}
      {failedLast && (
        <p class="delivery-failed">
          {t('reminders.devices.failed', { when: formatInstant(device.last_failure_at!) })}
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
        setError(t('reminders.test.pending_all'));
        return;
      }
      setResults(Object.fromEntries(sent.map((r) => [r.subscription_id, r])));
      const ok = sent.filter((r) => r.ok).length;
      announce(sent.length ? t('reminders.test.sent', { ok, count: sent.length }) : t('reminders.test.nobody'));
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
        setError(t('reminders.test.pending_one', { name: deviceName(device) }));
        return;
      }
      setResults((before) => ({ ...before, ...Object.fromEntries(sent.map((r) => [r.subscription_id, r])) }));
      const mine = sent.find((r) => r.subscription_id === device.id);
      announce(mine ? testText(mine) : t('reminders.devices.gone', { name: deviceName(device) }));
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
      announce(t('reminders.devices.removed', { name: deviceName(device) }));
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  return (
    <div>
      {devices === null && !error && <p class="muted">{t('reminders.devices.loading')}</p>}
      {devices?.length === 0 && <p class="muted">{t('reminders.devices.none')}</p>}
      {devices && devices.length > 0 && (
        <ul class="devices push-devices">
          {devices.map((device) => {
            const result = results[device.id];
            return (
              <li key={device.id} data-subscription={device.id}>
                <div>
                  <p class="device-name">
                    {deviceName(device)}
                    {device.id === thisDevice && <span class="badge">{t('reminders.devices.this')}</span>}
                  </p>
                  <Delivery device={device} phone={device.id === thisDevice ? 'phone' : 'device'} />
                  {result && <p class={result.ok ? 'status-ok test-result' : 'error test-result'}>{testText(result)}</p>}
                </div>
                <div class="device-actions">
                  <button
                    type="button"
                    class="button button-quiet test-device"
                    disabled={sending || testing !== null}
                    onClick={() => testOne(device)}
                  >
                    {testing === device.id ? t('reminders.test.testing') : t('reminders.test.button')}
                    <span class="visually-hidden"> {deviceName(device)}</span>
                  </button>
                  {device.id !== thisDevice && (
                    <button type="button" class="button button-quiet" onClick={() => remove(device)}>
                      {t('reminders.devices.remove')}
                      <span class="visually-hidden"> {deviceName(device)}</span>
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" class="button button-secondary" disabled={sending || testing !== null || !devices?.length} onClick={sendTest}>
        {sending ? t('reminders.test.sending') : t('reminders.test.send')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
