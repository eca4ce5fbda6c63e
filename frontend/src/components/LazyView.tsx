import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadCatalog, plain } from '../i18n/catalog';
import { language } from '../i18n/locale';
import type { RouteName } from '../router';

/**
 * A view whose code loads on first use (kept out of the first-load budget; the service worker
 * precaches the chunk, so it opens offline too). Until it arrives a placeholder with the same heading
 * holds focus; the real heading takes it over. The screens' messages in the patient's language load with
 * the code, so the screen does not show in English first.
 */
export function lazyView(route: RouteName, load: () => Promise<ComponentType>): ComponentType {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const start = () => {
    // Without its language's messages (not fetched, not cached) the screen still opens, in English.
    pending ??= Promise.all([load(), loadCatalog(language.value).catch(() => undefined)]).then(
      ([view]) => (loaded = view),
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
          {plain(`shell.title.${route}`)}
        </h1>
        <p class="muted" role="status">
          {plain(failed ? 'shell.view_failed' : 'shell.loading')}
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
        {plain(failed ? 'shell.panel_failed' : 'shell.loading')}
      </p>
    );
  }
  return LazyPanel;
}
