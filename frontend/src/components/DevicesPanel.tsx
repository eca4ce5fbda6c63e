import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { formatClock, formatDate } from '../lib/dates';
import { messageFor } from '../lib/errors';
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
      announce(`Link code ${created.code}`);
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p>Use ClearCourse on a second phone or tablet with the same course. On the new device choose “Already use ClearCourse on another device?” and enter the code.</p>
      <button type="button" class="button button-secondary" disabled={busy} onClick={create}>
        {code ? 'Create a new code' : 'Create a link code'}
      </button>
      {code && (
        <p class="link-code">
          <span class="visually-hidden">Your code: </span>
          <strong class="code">{code.code}</strong>
          <span class="muted">Valid until {formatClock(code.expires_at)}. It works once.</span>
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
      announce(`${device.label || 'Device'} removed.`);
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  if (error) return <p class="error">{error}</p>;
  if (!devices) return <p class="muted">Loading devices…</p>;
  return (
    <ul class="devices">
      {devices.map((device) => (
        <li key={device.id}>
          <div>
            <p class="device-name">
              {device.label || 'Unnamed device'}
              {device.current && <span class="badge">this device</span>}
            </p>
            <p class="muted">
              Linked {formatDate(device.created_at.slice(0, 10))}
              {device.last_seen_at && ` · last seen ${formatDate(device.last_seen_at.slice(0, 10))}`}
            </p>
          </div>
          {!device.current && (
            <button type="button" class="button button-quiet" onClick={() => remove(device)}>
              Remove<span class="visually-hidden"> {device.label || 'unnamed device'}</span>
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}
