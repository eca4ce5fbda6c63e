import { useEffect, useRef, useState } from 'preact/hooks';
import { CaregiverView } from '../components/CaregiverView';
import { language, t } from '../i18n';
import { caregiverApi } from '../lib/caregivers';
import { putCaregiverToken } from '../lib/db';
import { messageFor } from '../lib/errors';
import { ApiError, NetworkError } from '../lib/http';
import { cachedView, forgetView, saveView, type SavedCaregiving } from './cache';
import { CaregiverHelp } from './CaregiverHelp';
import { NudgeSettings } from './NudgeSettings';
import { resyncPush } from './push';

const REFRESH_MS = 15_000;

function codeFromAddress(): string {
  return new URLSearchParams(location.hash.slice(1)).get('code') ?? '';
}

function when(ms: number): string {
  return new Intl.DateTimeFormat(language.value, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}

function Join({ onJoined }: { onJoined: (token: string) => void }) {
  const [code, setCode] = useState(codeFromAddress);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const joined = await caregiverApi.join(code);
      await putCaregiverToken(joined.token);
      history.replaceState(null, '', '/care');
      onJoined(joined.token);
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 404 ? t('caregiver.join.unknown') : messageFor(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <p>{t('caregiver.join.intro')}</p>
      <label for="care-code">{t('caregiver.join.code')}</label>
      <input id="care-code" autocomplete="off" autocapitalize="characters" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} required />
      <button type="submit" class="button" disabled={busy}>
        {t('caregiver.join.submit')}
      </button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** The caregiver phone's whole app: join with a code, then see the shared doses (offline: the last copy). */
export function CaregiverApp({ initialToken }: { initialToken: string | null }) {
  const [token, setToken] = useState(initialToken);
  const [saved, setSaved] = useState<SavedCaregiving | null>(null);
  const [stale, setStale] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const synced = useRef(false);
  const title = t('caregiver.document_title');

  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    if (!token) return;
    let stopped = false;
    void cachedView().then((cached) => {
      if (!stopped && cached) setSaved((current) => current ?? cached);
    });
    const load = () =>
      caregiverApi
        .view(token)
        .then(async (view) => {
          const fresh = await saveView(view);
          if (stopped) return;
          setSaved(fresh);
          setStale(false);
          setError(null);
          if (!synced.current) {
            synced.current = true;
            void resyncPush(token, view).catch(() => undefined);
          }
        })
        .catch(async (failure) => {
          if (stopped) return;
          if (failure instanceof ApiError && failure.status === 401) {
            await Promise.all([putCaregiverToken(null), forgetView()]);
            setToken(null);
            setSaved(null);
            setError(t('caregiver.removed'));
          } else if (failure instanceof NetworkError) setStale(true);
          else setError(messageFor(failure));
        });
    void load();
    const timer = setInterval(load, REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    addEventListener('online', load);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
      removeEventListener('online', load);
    };
  }, [token]);

  const leave = async () => {
    if (!token) return;
    try {
      await caregiverApi.leave(token);
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 401)) {
        setError(messageFor(failure));
        return;
      }
    }
    await Promise.all([putCaregiverToken(null), forgetView()]);
    setToken(null);
    setSaved(null);
  };

  const openHelp = (event: Event) => {
    event.preventDefault();
    setHelp(true);
    requestAnimationFrame(() => document.getElementById('get-help')?.focus());
  };

  return (
    <>
      <a class="skip-link" href="#main">
        {t('caregiver.skip')}
      </a>
      <header class="app-header">
        <span class="brand">ClearCourse</span>
        <a href="#get-help" class="help-link" onClick={openHelp}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6.6 10.8a15 15 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1L6.6 10.8Z" />
          </svg>
          {t('caregiver.get_help')}
        </a>
      </header>
      <main id="main" tabIndex={-1}>
        <div class="view" lang={language.value}>
          <header class="view-header">
            <h1 tabIndex={-1}>{t('caregiver.title')}</h1>
          </header>
          {help && (
            <>
              <CaregiverHelp />
              <p>
                <button type="button" class="button button-quiet" onClick={() => setHelp(false)}>
                  {t('caregiver.help.close')}
                </button>
              </p>
            </>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
          {!token && <Join onJoined={setToken} />}
          {token && !saved && !error && !stale && <p class="muted">{t('caregiver.loading')}</p>}
          {saved && (
            <section class="card" aria-labelledby="shared-heading">
              <h2 id="shared-heading">{t('caregiver.shared.heading')}</h2>
              <p class={stale ? 'notice caregiver-updated' : 'muted caregiver-updated'} role="status">
                {t(stale ? 'caregiver.offline' : 'caregiver.updated', { when: when(saved.savedAt) })}
              </p>
              <CaregiverView data={saved.data} />
            </section>
          )}
          {token && saved && !stale && <NudgeSettings token={token} data={saved.data} onChange={(view) => void saveView(view).then(setSaved)} />}
          {token && (
            <section class="card" aria-labelledby="leave-heading">
              <h2 id="leave-heading">{t('caregiver.leave.heading')}</h2>
              <p>{t('caregiver.leave.text')}</p>
              <button type="button" class="button button-secondary" onClick={leave}>
                {t('caregiver.leave.button')}
              </button>
            </section>
          )}
          <p class="muted">{t('caregiver.disclaimer')}</p>
        </div>
      </main>
    </>
  );
}
