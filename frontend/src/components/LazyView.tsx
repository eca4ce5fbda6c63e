import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A view whose code loads on first use (kept out of the first-load budget; the service worker
 * precaches the chunk, so it opens offline too). Until it arrives a placeholder with the same heading
 * holds focus; the real heading takes it over.
 */
export function lazyView(title: string, load: () => Promise<ComponentType>): ComponentType {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const start = () => {
    pending ??= load().then(
      (view) => (loaded = view),
      (error: unknown) => {
        pending = null;
        throw error;
      },
    );
    return pending;
  };

  function LazyView() {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      start().then(
        () => {
          if (!live) return;
          const hadFocus = document.activeElement?.id === 'lazy-heading';
          setReady(1);
          if (hadFocus) requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
        },
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const View = loaded;
      return <View />;
    }
    return (
      <div class="view">
        <h1 id="lazy-heading" tabIndex={-1}>
          {title}
        </h1>
        <p class="muted" role="status">
          {failed ? 'This screen could not be loaded. Check your connection and try again.' : 'Loading…'}
        </p>
      </div>
    );
  }
  return LazyView;
}

/** A part of a screen whose code loads when it is first shown, as lazyView does for whole screens. */
export function lazyPanel<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  function LazyPanel(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      load().then(
        (panel) => {
          loaded = panel;
          if (live) setReady(1);
        },
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, []);
    if (loaded) {
      const Panel = loaded;
      return <Panel {...props} />;
    }
    return (
      <p class="muted" role="status">
        {failed ? 'This part could not be loaded. Check your connection and try again.' : 'Loading…'}
      </p>
    );
  }
  return LazyPanel;
}
