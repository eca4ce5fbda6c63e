import { formatClock } from '../lib/dates';
import { applyUpdate, updateReady } from '../pwa';
import { offline, pendingCount, syncProblem, today } from '../store';

export function OfflineBanner() {
  if (!offline.value) return null;
  const savedAt = today.value?.savedAt;
  return (
    <p class="banner banner-offline" role="status">
      <strong>Offline</strong>
      {savedAt ? ` — showing what was saved at ${formatClock(savedAt)}.` : ' — nothing saved on this device yet.'}
      {pendingCount.value > 0 && ` ${pendingCount.value} change${pendingCount.value === 1 ? '' : 's'} will sync when you are back online.`}
    </p>
  );
}

export function UpdateBanner() {
  if (!updateReady.value) return null;
  return (
    <div class="banner banner-update" role="status">
      <span>A new version is ready.</span>
      <button type="button" class="button button-small" onClick={() => void applyUpdate()}>
        Update
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
        Dismiss
      </button>
    </div>
  );
}
