import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatClock, formatDate } from '../lib/dates';
import { messageFor } from '../lib/errors';
import { t } from '../i18n';
import { announce, offline } from '../store';
import type { Device, LinkCode } from '../types';

/** Creates a one-time code that another device can use to join this account. */
export function LinkCodeCreator() {
  const [code, setCode] = useState<LinkCode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await api.createLinkCode();
      setCode(created);
      announce(t('settings.link.announce', { code: created.code }));
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p>{t('settings.link.intro')}</p>
      <button type="button" class="button button-secondary" disabled={busy} onClick={create}>
        {code ? t('settings.link.new') : t('settings.link.create')}
      </button>
      {code && (
        <p class="link-code">
          <span class="visually-hidden">{t('settings.link.your_code')} </span>
          <strong class="code">{code.code}</strong>
          <span class="muted">{t('settings.link.valid', { time: formatClock(code.expires_at) })}</span>
        </p>
      )}
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function DevicesList() {
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .devices()
      .then((list) => {
        setDevices(list);
        setError(null);
      })
      .catch((failure) => setError(messageFor(failure)));

  useEffect(() => {
    void load();
  }, [offline.value]);

  const remove = async (device: Device) => {
    try {
      await api.removeDevice(device.id);
      announce(t('settings.devices.removed', { name: device.label || t('settings.devices.device') }));
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  if (error) return <p class="error">{error}</p>;
  if (!devices) return <p class="muted">{t('settings.devices.loading')}</p>;
  return (
    <ul class="devices">
      {devices.map((device) => (
        <li key={device.id}>
          <div>
            <p class="device-name">
              {device.label || t('settings.devices.unnamed')}
              {device.current && <span class="badge">{t('settings.devices.this')}</span>}
            </p>
            <p class="muted">
              {t('settings.devices.linked', { day: formatDate(device.created_at.slice(0, 10)) })}
              {device.last_seen_at && ` · ${t('settings.devices.last_seen', { day: formatDate(device.last_seen_at.slice(0, 10)) })}`}
            </p>
          </div>
          {!device.current && (
            <button type="button" class="button button-quiet" onClick={() => remove(device)}>
              {t('settings.remove')}
              <span class="visually-hidden"> {device.label || t('settings.devices.unnamed')}</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
