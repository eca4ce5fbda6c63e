import { useState } from 'preact/hooks';
import { api } from '../api';
import { localDate } from '../lib/dates';
import { focusSoon, messageFor } from '../lib/errors';
import { navigate } from '../router';
import { announce, forgetEverything } from '../store';

function download(data: unknown): void {
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `clearcourse-export-${localDate('')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportData() {
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    try {
      download(await api.exportData());
      announce('Your data was downloaded.');
      setError(null);
    } catch (failure) {
      setError(messageFor(failure));
    }
  };
  return (
    <div>
      <button type="button" class="button button-secondary" onClick={run}>
        Export my data (JSON)
      </button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function DeleteEverything() {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await api.deleteAccount();
      await forgetEverything();
      announce('Everything was deleted.');
      navigate('/onboarding', { replace: true });
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };
  if (!confirming) {
    return (
      <button
        type="button"
        class="button button-danger"
        onClick={() => {
          setConfirming(true);
          focusSoon('delete-confirm');
        }}
      >
        Delete everything
      </button>
    );
  }
  return (
    <div class="confirm confirm-danger" id="delete-confirm" tabIndex={-1} role="group" aria-labelledby="delete-confirm-text">
      <p id="delete-confirm-text">
        This deletes your account, course, dose log and linked devices from the server and this device. It cannot be undone.
      </p>
      <button type="button" class="button button-danger" disabled={busy} onClick={run}>
        {busy ? 'Deleting…' : 'Yes, delete everything'}
      </button>
      <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}
