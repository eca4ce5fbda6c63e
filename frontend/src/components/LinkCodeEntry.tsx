import { useState } from 'preact/hooks';
import { api, deviceKind } from '../api';
import { messageFor } from '../lib/errors';
import { navigate } from '../router';
import { adoptSession, announce, course, forgetEverything, refreshAll } from '../store';
import { Field } from './Form';

/** Joins this device to an existing anonymous account with a one-time code. */
export function LinkCodeEntry() {
  const [code, setCode] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const normalised = code.trim().toUpperCase().replace(/\s+/g, '');
    if (!/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/.test(normalised)) {
      setError('Enter the 8-character code shown on your other device, for example K7MQ-2XHD.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const joined = await api.joinWithCode(normalised, label.trim() || deviceKind());
      await forgetEverything({ keepPhotos: true }); // photos never leave this phone: they stay with it
      await adoptSession({ patientId: joined.patient_id, token: joined.token, deviceId: joined.id });
      await refreshAll();
      announce('This device is now linked.');
      navigate(course.value ? '/' : '/onboarding', { replace: true });
    } catch (failure) {
      setError(messageFor(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form form-inline" onSubmit={submit} noValidate>
      <Field
        id="link-code"
        label="Link code"
        autocomplete="one-time-code"
        autocapitalize="characters"
        spellcheck={false}
        value={code}
        error={error}
        onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
      />
      <Field
        id="device-label"
        label="Name this device (optional)"
        hint="For your devices list, for example “Phone”."
        value={label}
        maxLength={40}
        onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit" class="button button-secondary" disabled={busy}>
        {busy ? 'Linking…' : 'Link this device'}
      </button>
    </form>
  );
}
