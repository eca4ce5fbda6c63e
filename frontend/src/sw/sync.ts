/** Background Sync: the browser wakes the worker when it is online again and the outbox is flushed. */
import { flushOutbox } from '../lib/outbox';
import { OUTBOX_SYNC_TAG } from './constants';

declare let self: ServiceWorkerGlobalScope;

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

export function registerOutboxSync(): void {
  self.addEventListener('sync' as keyof ServiceWorkerGlobalScopeEventMap, ((event: SyncEvent) => {
    if (event.tag !== OUTBOX_SYNC_TAG) return;
    event.waitUntil(
      flushOutbox().then((report) => {
        if (report.stopped === 'offline') throw new Error('Still offline; the browser will retry.');
      }),
    );
  }) as EventListener);
}
