import { useState } from 'preact/hooks';
import { api, deviceKind } from '../api';
import { t } from '../i18n';
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
      setError(t('setup.link.error'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const joined = await api.joinWithCode(normalised, label.trim() || deviceKind());
      await forgetEverything({ keepPhotos: true }); // photos never leave this phone: they stay with it
      await adoptSession({ patientId: joined.patient_id, token: joined.token, deviceId: joined.id });
      await refreshAll();
      announce(t('setup.link.done'));
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
        label={t('setup.link.code')}
        autocomplete="one-time-code"
        autocapitalize="characters"
        spellcheck={false}
        value={code}
        error={error}
        onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
      />
      <Field
        id="device-label"
        label={t('setup.link.name')}
        hint={t('setup.link.name.hint')}
        value={label}
        maxLength={40}
        onInput={(e) => setLabel((e.currentTarget as HTMLInputElement).value)}
      />
      <button type="submit" class="button button-secondary" disabled={busy}>
        {busy ? t('setup.link.busy') : t('setup.link.submit')}
      </button>
    </form>
  );
}
