import { useEffect, useState } from 'preact/hooks';
import { caregiverApi } from '../lib/caregivers';
import { CaregiverView } from '../components/CaregiverView';
import { putCaregiverToken } from '../lib/db';
import { messageFor } from '../lib/errors';
import { ApiError } from '../lib/http';
import type { Caregiving } from '../types';

const REFRESH_MS = 15_000;

function codeFromAddress(): string {
  return new URLSearchParams(location.hash.slice(1)).get('code') ?? '';
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
      setError(failure instanceof ApiError && failure.status === 404 ? 'That code is unknown, already used or expired. Ask for a new one.' : messageFor(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={submit}>
      <p>Someone on a course of isotretinoin asked you to help them remember their capsules. With their code, this phone shows whether today's capsules are ticked, and nothing else.</p>
      <label for="care-code">Caregiver code</label>
      <input id="care-code" autocomplete="off" autocapitalize="characters" value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} required />
      <button type="submit" class="button" disabled={busy}>
        Join as a caregiver
      </button>
      {error && <p class="error" role="alert">{error}</p>}
    </form>
  );
}

/** The caregiver phone's whole app: join with a code, then see the shared doses. */
export function CaregiverApp({ initialToken }: { initialToken: string | null }) {
  const [token, setToken] = useState(initialToken);
  const [data, setData] = useState<Caregiving | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Caregiver · ClearCourse';
    if (!token) return;
    let stopped = false;
    const load = () =>
      caregiverApi
        .view(token)
        .then((view) => {
          if (stopped) return;
          setData(view);
          setError(null);
        })
        .catch(async (failure) => {
          if (stopped) return;
          if (failure instanceof ApiError && failure.status === 401) {
            await putCaregiverToken(null);
            setToken(null);
            setData(null);
            setError('You are no longer a caregiver for this course: it was removed or ended by the patient.');
          } else setError(messageFor(failure));
        });
    void load();
    const timer = setInterval(load, REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && void load();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
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
    await putCaregiverToken(null);
    setToken(null);
    setData(null);
  };

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <span class="brand">ClearCourse</span>
      </header>
      <main id="main" tabIndex={-1}>
        <div class="view">
          <header class="view-header">
            <h1 tabIndex={-1}>Caregiver</h1>
          </header>
          {error && <p class="error" role="alert">{error}</p>}
          {!token && <Join onJoined={setToken} />}
          {token && !data && !error && <p class="muted">Loading…</p>}
          {data && (
            <section class="card" aria-labelledby="shared-heading">
              <h2 id="shared-heading">Their capsules</h2>
              <CaregiverView data={data} />
            </section>
          )}
          {token && (
            <section class="card" aria-labelledby="leave-heading">
              <h2 id="leave-heading">Stop being a caregiver</h2>
              <p>This phone forgets the code and stops seeing their capsules.</p>
              <button type="button" class="button button-secondary" onClick={leave}>
                Leave
              </button>
            </section>
          )}
          <p class="muted">ClearCourse does not replace a doctor. Questions about the treatment belong to their prescriber.</p>
        </div>
      </main>
    </>
  );
}
