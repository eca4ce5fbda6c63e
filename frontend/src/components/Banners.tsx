import { fill, plain } from '../i18n/catalog';
import { language } from '../i18n/locale';
import { formatClock } from '../lib/dates';
import { applyUpdate, updateReady } from '../pwa';
import { offline, pendingCount, syncProblem, today } from '../store';

export function OfflineBanner() {
  if (!offline.value) return null;
  const savedAt = today.value?.savedAt;
  const pending = pendingCount.value;
  const form = new Intl.PluralRules(language.value).select(pending) === 'one' ? 'one' : 'other';
  return (
    <p class="banner banner-offline" role="status">
      <strong>{plain('shell.offline')}</strong>
      {savedAt ? fill('shell.offline.saved_at', { time: formatClock(savedAt) }) : plain('shell.offline.nothing')}
      {pending > 0 && fill(`shell.offline.pending_${form}`, { count: pending })}
    </p>
  );
}

export function UpdateBanner() {
  if (!updateReady.value) return null;
  return (
    <div class="banner banner-update" role="status">
      <span>{plain('shell.update.ready')}</span>
      <button type="button" class="button button-small" onClick={() => void applyUpdate()}>
        {plain('shell.update')}
      </button>
    </div>
  );
}

export function SyncProblemBanner() {
  if (!syncProblem.value) return null;
  return (
    <div class="banner banner-error" role="alert">
      <span>{syncProblem.value}</span>
      <button type="button" class="button button-small button-quiet" onClick={() => (syncProblem.value = null)}>
        {plain('shell.dismiss')}
      </button>
    </div>
  );
}
