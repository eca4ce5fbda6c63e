/** Runs `work` when the main thread is idle (at the latest after `timeout` ms), so it stays out of the first paint's way. */
export function whenIdle(work: () => void, timeout = 2000): void {
  if ('requestIdleCallback' in window) requestIdleCallback(() => work(), { timeout });
  else setTimeout(work, 1);
}

/** Runs `work` once the page has loaded and the main thread is idle. */
export function afterLoad(work: () => void): void {
  if (document.readyState === 'complete') whenIdle(work);
  else addEventListener('load', () => whenIdle(work), { once: true });
}
