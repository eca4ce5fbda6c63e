import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { loadAreas, plain } from '../i18n/catalog';
import { language } from '../i18n/locale';
import type { RouteName } from '../router';

/**
 * A view whose code loads on first use (kept out of the first-load budget; the service worker
 * precaches the chunk, so it opens offline too). Until it arrives a placeholder with the same heading
 * holds focus; the real heading takes it over. The messages of `areas` (every area its code uses: the build
 * checks) load in the patient's language with the code, so the screen opens in its words.
 */
export function lazyView(route: RouteName, load: () => Promise<ComponentType>, areas: readonly string[]): ComponentType {
  let loaded: ComponentType | null = null;
  let pending: Promise<ComponentType> | null = null;
  const start = () => {
    // Without its messages (not fetched, not cached) the screen still opens: they are asked for again as read.
    pending ??= Promise.all([load(), loadAreas(language.value, areas).catch(() => undefined)]).then(
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
          // The real heading takes the placeholder's focus, unless the screen gave it to something else as it
          // drew (an address's #target: the fill-in list, a panel).
          if (hadFocus) {
            requestAnimationFrame(() => {
              const now = document.activeElement;
              if (!now || now === document.body) document.querySelector<HTMLElement>('main h1')?.focus();
            });
          }
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

/** A part of a screen whose code and messages (`areas`) load when it is first shown, as lazyView does for
 * whole screens. */
export function lazyPanel<P extends object>(load: () => Promise<ComponentType<P>>, areas: readonly string[]): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  function LazyPanel(props: P) {
    const [, setReady] = useState(0);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      let live = true;
      Promise.all([load(), loadAreas(language.value, areas).catch(() => undefined)]).then(
        ([panel]) => {
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
