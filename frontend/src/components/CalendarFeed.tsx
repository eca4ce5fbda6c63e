import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../lib/db';
import { formatClock, formatDate } from '../lib/dates';
import { recordApi, type Feed } from '../lib/record';
import { announce } from '../store';
import { Checkbox } from './Form';

const feedKey = (courseId: string) => `calendar-feed:${courseId}`;
const day = (iso: string) => formatDate(iso.slice(0, 10));

/**
 * The course in the phone's calendar: make a secret feed link (its address is shown once, so this
 * device keeps it to subscribe or copy again), copy it, and turn off any link of this course, also one
 * made on another device. Every change needs a connection.
 */
export function CalendarFeed({ courseId }: { courseId: string }) {
  const [mine, setMine] = useState<Feed | null>(null);
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [withDoses, setWithDoses] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = async () => {
    const db = await getDb();
    const saved = ((await db.get('kv', feedKey(courseId))) as Feed | undefined) ?? null;
    try {
      const listed = (await recordApi.feeds()).filter((f) => f.course_id === courseId);
      setFeeds(listed);
      // A link turned off elsewhere is forgotten here too.
      if (saved && !listed.some((f) => f.id === saved.id)) {
        await db.delete('kv', feedKey(courseId));
        setMine(null);
        return;
      }
    } catch {
      setFeeds(null);
    }
    setMine(saved);
  };
  useEffect(() => void load(), [courseId]);

  const create = async () => {
    setError(null);
    setMessage(null);
    try {
      const made = await recordApi.createFeed(courseId, withDoses);
      await (await getDb()).put('kv', made, feedKey(courseId));
      announce('Calendar link made.');
      await load();
    } catch {
      setError('Making a calendar link needs a connection.');
    }
  };

  const revoke = async (feed: Feed) => {
    setError(null);
    setMessage(null);
    try {
      await recordApi.deleteFeed(feed.id);
    } catch {
      setError('Turning a link off needs a connection.');
      return;
    }
    setConfirming(null);
    if (mine?.id === feed.id) await (await getDb()).delete('kv', feedKey(courseId));
    announce('Calendar link turned off.');
    await load();
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setMessage('Link copied. Paste it into your calendar app as a new subscription.');
    } catch {
      (document.getElementById('feed-url') as HTMLInputElement | null)?.select();
      setMessage('Copying was not allowed here: the address is selected, copy it from the box.');
    }
  };

  return (
    <>
      <p>
        Appointments, tests and the dates after your course, kept up to date in your phone's calendar. Useful where
        notifications do not work. Anyone with the link can see these dates, so keep it to yourself.
      </p>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {mine?.url && mine.webcal_url && (
        <div class="feed-mine">
          <p>
            <a class="button button-primary" href={mine.webcal_url}>
              Subscribe in your calendar
            </a>
          </p>
          <label for="feed-url">Or copy the address into your calendar app</label>
          <div class="input-row">
            <input id="feed-url" type="text" readOnly value={mine.url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="button button-secondary" onClick={() => void copy(mine.url!)}>
              Copy
            </button>
          </div>
        </div>
      )}
      <p role="status">{message}</p>
      {feeds && feeds.length > 0 && (
        <>
          <h3>Links in use</h3>
          <ul class="feed-list">
            {feeds.map((feed) => (
              <li key={feed.id}>
                <p>
                  {feed.created_at ? `Made ${day(feed.created_at)}` : 'A link'}
                  {feed.include_doses ? ', with daily capsules' : ''}
                  {mine?.id === feed.id ? ' (on this phone)' : ''}.{' '}
                  {feed.last_fetched_at
                    ? `Last read by a calendar ${day(feed.last_fetched_at)}, ${formatClock(feed.last_fetched_at)}.`
                    : 'Not read by a calendar yet.'}
                </p>
                {confirming === feed.id ? (
                  <div class="button-row" role="group" aria-label="Turn this link off?">
                    <span>Calendars using it stop updating. Turn it off?</span>
                    <button type="button" class="button button-danger button-small" onClick={() => void revoke(feed)}>
                      Turn it off
                    </button>
                    <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(null)}>
                      Keep it
                    </button>
                  </div>
                ) : (
                  <button type="button" class="button button-secondary button-small" onClick={() => setConfirming(feed.id)}>
                    Turn off…<span class="visually-hidden">: the link made {feed.created_at ? day(feed.created_at) : ''}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {feeds === null && <p class="muted">Connect to see and manage the links in use.</p>}
      {!mine && (
        <>
          <Checkbox id="feed-doses" label="Also show my daily capsules, with an alarm" checked={withDoses} onChange={setWithDoses} />
          <button type="button" class="button" onClick={() => void create()}>
            Make a calendar link
          </button>
        </>
      )}
    </>
  );
}
