import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { fieldErrorsFrom, focusSoon, messageFor } from '../lib/errors';
import { announce } from '../store';
import { Checkbox, ErrorSummary, Field, type Errors } from './Form';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function toId(field: string): string | null {
  if (field === 'quiet_start') return 'quiet-start';
  if (field === 'quiet_end' || field === '_schema') return 'quiet-end';
  return null;
}

/** A nightly pause: reminders due inside it arrive when it ends. */
export function QuietHours() {
  const [loaded, setLoaded] = useState(false);
  const [on, setOn] = useState(false);
  const [start, setStart] = useState('22:00');
  const [end, setEnd] = useState('07:00');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    api.reminderSettings().then(
      (settings) => {
        setOn(settings.quiet_start !== null);
        if (settings.quiet_start) setStart(settings.quiet_start);
        if (settings.quiet_end) setEnd(settings.quiet_end);
        setLoaded(true);
      },
      (failure: unknown) => setErrors({ _server: messageFor(failure) }),
    );
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Errors = {};
    if (on) {
      if (!TIME.test(start)) found['quiet-start'] = t('reminders.quiet.start.error');
      if (!TIME.test(end)) found['quiet-end'] = t('reminders.quiet.end.error');
      else if (start === end) found['quiet-end'] = t('reminders.quiet.same.error');
    }
    setErrors(found);
    setSaved(false);
    if (Object.keys(found).length) return focusSoon('quiet-errors');
    setBusy(true);
    try {
      await api.saveReminderSettings(on ? { quiet_start: start, quiet_end: end } : { quiet_start: null, quiet_end: null });
      setSaved(true);
      announce(on ? t('reminders.quiet.saved', { start, end }) : t('reminders.quiet.off'));
    } catch (error) {
      setErrors(fieldErrorsFrom(error, toId));
      focusSoon('quiet-errors');
    } finally {
      setBusy(false);
    }
  };

  if (!loaded && !errors._server) return <p class="muted">{t('reminders.loading')}</p>;
  return (
    <form class="form form-inline" onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} id="quiet-errors" />
      <Checkbox
        id="quiet-on"
        label={t('reminders.quiet.on')}
        hint={t('reminders.quiet.on.hint')}
        checked={on}
        onChange={setOn}
      />
      {on && (
        <div class="field-pair">
          <Field
            id="quiet-start"
            type="time"
            label={t('reminders.quiet.from')}
            value={start}
            error={errors['quiet-start']}
            onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)}
          />
          <Field
            id="quiet-end"
            type="time"
            label={t('reminders.quiet.until')}
            value={end}
            error={errors['quiet-end']}
            onInput={(e) => setEnd((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      )}
      <div class="button-row">
        <button type="submit" class="button button-secondary" disabled={busy}>
          {busy ? t('reminders.saving') : t('reminders.quiet.save')}
        </button>
        {saved && <span class="status-ok saved-note">{t('reminders.saved')}</span>}
      </div>
    </form>
  );
}
