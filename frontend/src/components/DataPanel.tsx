import { useState } from 'preact/hooks';
import { api } from '../api';
import { t } from '../i18n';
import { formatDate } from '../lib/dates';
import { fileProblem, madeFile, saveFile } from '../lib/files';
import { focusSoon, messageFor } from '../lib/errors';
import { navigate } from '../router';
import { announce, course, courseDeleted, forgetEverything } from '../store';
import type { Course } from '../types';

export function ExportData() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      saveFile(await madeFile('/me/export'));
      announce(t('jobs.export.done'));
    } catch (failure) {
      setError(fileProblem(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <button type="button" class="button button-secondary" onClick={run} disabled={busy} aria-busy={busy}>
        {busy ? t('jobs.export.preparing') : t('settings.data.export')}
      </button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

/** A danger button that asks once more, in words, before it runs `action`. */
function ConfirmedDanger({ id, label, question, confirm, busyLabel, action }: {
  id: string;
  label: string;
  question: string;
  confirm: string;
  busyLabel: string;
  action: () => Promise<void>;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await action();
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
          focusSoon(id);
        }}
      >
        {label}
      </button>
    );
  }
  return (
    <div class="confirm confirm-danger" id={id} tabIndex={-1} role="group" aria-labelledby={`${id}-text`}>
      <p id={`${id}-text`}>{question}</p>
      <button type="button" class="button button-danger" disabled={busy} onClick={run}>
        {busy ? busyLabel : confirm}
      </button>
      <button type="button" class="button button-quiet" onClick={() => setConfirming(false)}>
        {t('settings.cancel')}
      </button>
      {error && <p class="error" role="alert">{error}</p>}
    </div>
  );
}

export function DeleteEverything() {
  return (
    <ConfirmedDanger
      id="delete-confirm"
      label={t('settings.data.delete')}
      question={t('settings.data.delete.question')}
      confirm={t('settings.data.delete.confirm')}
      busyLabel={t('settings.deleting')}
      action={async () => {
        await api.deleteAccount();
        await forgetEverything();
        announce(t('settings.data.deleted'));
        navigate('/onboarding', { replace: true });
      }}
    />
  );
}

/** Deletes one course (a mistaken or old one) with its dose log, reminders, appointments and notes. */
export function DeleteCourse({ current }: { current: Course }) {
  return (
    <ConfirmedDanger
      id="delete-course-confirm"
      label={t('settings.delete_course.button')}
      question={t('settings.delete_course.question', { start: formatDate(current.start_date) })}
      confirm={t('settings.delete_course.confirm')}
      busyLabel={t('settings.deleting')}
      action={async () => {
        await api.deleteCourse(current.id);
        await courseDeleted(current.id);
        announce(t('settings.delete_course.deleted'));
        navigate(course.value ? '/' : '/onboarding', { replace: true });
      }}
    />
  );
}
