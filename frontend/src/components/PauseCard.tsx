import { useState } from 'preact/hooks';
import { formatDate } from '../lib/dates';
import { focusSoon } from '../lib/errors';
import { t } from '../i18n';
import { PAUSED_TEXT, reasonFacts, reasonSentence } from '../lib/pauseTexts';
import { courseToday, currentPause, endPause, pauses, startPause } from '../store';
import type { Course, Pause } from '../types';
import { DayForm } from './DayForm';
import { SourceIds } from './Facts';

/** A button that opens a day form in its place (and focuses its field). */
function AskForDay({ button, primary, form }: { button: string; primary: boolean; form: (close: () => void) => preact.JSX.Element }) {
  const [asking, setAsking] = useState(false);
  if (asking) return form(() => setAsking(false));
  return (
    <button
      type="button"
      class={primary ? 'button button-primary' : 'button button-secondary'}
      onClick={() => {
        setAsking(true);
        focusSoon(primary ? 'restart-day' : 'pause-day');
      }}
    >
      {button}
    </button>
  );
}

/**
 * "My prescriber says restart": asks for the restart day (today unless changed, from the pause's first
 * day on) and ends the pause, so capsules and their reminders come back from that day.
 */
export function RestartForm({ pause }: { pause: Pause }) {
  const today = courseToday();
  return (
    <AskForDay
      button={t('today.pause.restart')}
      primary
      form={(close) => (
        <DayForm
          id="restart-day"
          heading={t('today.pause.restart.heading')}
          label={t('today.pause.restart.label')}
          hint={t('today.pause.restart.hint')}
          initial={today < pause.started_on ? pause.started_on : today}
          min={pause.started_on}
          submitLabel={t('today.pause.restart.submit')}
          onSubmit={(day) => endPause(pause, day)}
          onCancel={close}
        />
      )}
    />
  );
}

/** Today while paused: since when, why, that the prescriber decides the restart, and the restart itself. */
export function PauseCard({ pause, syncNote = '' }: { pause: Pause; syncNote?: string }) {
  return (
    <section class="card card-attention pause-card" aria-labelledby="pause-heading" id="pause">
      <h2 id="pause-heading">{t('today.pause.heading', { date: formatDate(pause.started_on) })}</h2>
      <p>
        {reasonSentence(pause.reason)} {t('today.pause.decides')}
        <SourceIds facts={reasonFacts(pause.reason)} />
      </p>
      <p>
        {PAUSED_TEXT.text}
        <SourceIds facts={PAUSED_TEXT.facts} />
      </p>
      {pause.resumed_on && <p class="restart-day">{t('today.pause.restart_on', { date: formatDate(pause.resumed_on) })}</p>}
      <RestartForm pause={pause} />
      <p class="sync-count" aria-live="polite">
        {syncNote}
      </p>
    </section>
  );
}

/**
 * Settings: pause the capsules without a red flag ("my prescriber paused them", from a day the patient
 * picks), or restart a pause that is going on.
 */
export function PauseSettings({ current }: { current: Course }) {
  const today = courseToday();
  const pause = currentPause.value ?? pauses.value.find((p) => p.resumed_on === null) ?? null;
  if (current.ended_on) {
    return <p class="muted">{t('today.pause.ended')}</p>;
  }
  if (pause) {
    return (
      <div class="pause-settings">
        <p>
          {t('today.pause.since', { date: formatDate(pause.started_on) })} {reasonSentence(pause.reason)}
        </p>
        <RestartForm pause={pause} />
      </div>
    );
  }
  return (
    <div class="pause-settings">
      <p class="hint">{t('today.pause.settings_hint')}</p>
      <AskForDay
        button={t('today.pause.pause')}
        primary={false}
        form={(close) => (
          <DayForm
            id="pause-day"
            heading={t('today.pause.pause.heading')}
            label={t('today.pause.pause.label')}
            initial={today < current.start_date ? current.start_date : today}
            min={current.start_date}
            submitLabel={t('today.pause.pause.submit')}
            onSubmit={(day) => startPause(day, 'prescriber')}
            onCancel={close}
          />
        )}
      />
    </div>
  );
}
