import { useEffect, useState } from 'preact/hooks';
import { getDb } from '../lib/db';
import { formatClock, formatDate } from '../lib/dates';
import { recordApi, type Feed } from '../lib/record';
import { t } from '../i18n';
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
      announce(t('settings.calendar.made'));
      await load();
    } catch {
      setError(t('settings.calendar.make_offline'));
    }
  };

  const revoke = async (feed: Feed) => {
    setError(null);
    setMessage(null);
    try {
      await recordApi.deleteFeed(feed.id);
    } catch {
      setError(t('settings.calendar.off_offline'));
      return;
    }
    setConfirming(null);
    if (mine?.id === feed.id) await (await getDb()).delete('kv', feedKey(courseId));
    announce(t('settings.calendar.turned_off'));
    await load();
  };

  const copy = async (url: string) => {
    try {
      await navigator.clipboard.writeText(url);
      setMessage(t('settings.calendar.copied'));
    } catch {
      (document.getElementById('feed-url') as HTMLInputElement | null)?.select();
      setMessage(t('settings.calendar.copy_failed'));
    }
  };

  return (
    <>
      <p>
        {t('settings.calendar.intro')}
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
              {t('settings.calendar.subscribe')}
            </a>
          </p>
          <label for="feed-url">{t('settings.calendar.copy_label')}</label>
          <div class="input-row">
            <input id="feed-url" type="text" readOnly value={mine.url} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" class="button button-secondary" onClick={() => void copy(mine.url!)}>
              {t('settings.calendar.copy')}
            </button>
          </div>
        </div>
      )}
      <p role="status">{message}</p>
      {feeds && feeds.length > 0 && (
        <>
          <h3>{t('settings.calendar.links')}</h3>
          <ul class="feed-list">
            {feeds.map((feed) => (
              <li key={feed.id}>
                <p>
                  {t('settings.calendar.feed', {
                    dated: feed.created_at ? 'yes' : 'no',
                    made: feed.created_at ? day(feed.created_at) : '',
                    doses: feed.include_doses ? 'yes' : 'no',
                    here: mine?.id === feed.id ? 'yes' : 'no',
                  })}{' '}
                  {feed.last_fetched_at
                    ? t('settings.calendar.last_read', { day: day(feed.last_fetched_at), time: formatClock(feed.last_fetched_at) })
                    : t('settings.calendar.not_read')}
                </p>
                {confirming === feed.id ? (
                  <div class="button-row" role="group" aria-label={t('settings.calendar.off_question')}>
                    <span>{t('settings.calendar.off_confirm')}</span>
                    <button type="button" class="button button-danger button-small" onClick={() => void revoke(feed)}>
                      {t('settings.calendar.off')}
                    </button>
                    <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(null)}>
                      {t('settings.keep')}
                    </button>
                  </div>
                ) : (
                  <button type="button" class="button button-secondary button-small" onClick={() => setConfirming(feed.id)}>
                    {t('settings.calendar.off_button')}
                    <span class="visually-hidden">{t('settings.calendar.off_which', { made: feed.created_at ? day(feed.created_at) : '' })}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {feeds === null && <p class="muted">{t('settings.calendar.offline')}</p>}
      {!mine && (
        <>
          <Checkbox id="feed-doses" label={t('settings.calendar.with_doses')} checked={withDoses} onChange={setWithDoses} />
          <button type="button" class="button" onClick={() => void create()}>
            {t('settings.calendar.make')}
          </button>
        </>
      )}
    </>
  );
}
