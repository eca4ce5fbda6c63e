import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatDate } from '../lib/dates';
import {
  addPhoto,
  deleteAllPhotos,
  deletePhoto,
  listPhotos,
  PHOTO_VIEWS,
  restorePhoto,
  type Photo,
  type PhotoView,
} from '../lib/photos';
import { language, t } from '../i18n';
import { announce, course, courseToday } from '../store';

const viewLabel = (view: PhotoView) => t(`photos.view.${view}`);
/** How long "Undo" is offered after a photo is deleted. */
export const UNDO_MS = 10_000;

/** "day 12" of the course, or "3 days before day 1" for a baseline photo. */
function dayOfCourse(start: string, date: string): string {
  const n = Math.round((Date.parse(`${date}T12:00:00Z`) - Date.parse(`${start}T12:00:00Z`)) / 86_400_000) + 1;
  return n >= 1 ? t('photos.day', { n }) : t('photos.day_before', { count: 1 - n });
}

/** An object URL for each photo while the screen is open (revoked when it closes). */
function usePhotoUrls(photos: Photo[]): Record<string, string> {
  const urls = useMemo(() => Object.fromEntries(photos.map((p) => [p.id, URL.createObjectURL(p.blob)])), [photos]);
  useEffect(() => () => Object.values(urls).forEach((u) => URL.revokeObjectURL(u)), [urls]);
  return urls;
}

/** Skin photos that never leave the phone: taken or picked, compared side by side by date. */
export function Photos() {
  const current = course.value;
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [date, setDate] = useState(courseToday());
  const [confirmAll, setConfirmAll] = useState(false);
  const [compareView, setCompareView] = useState<PhotoView>('front');
  const [compareDates, setCompareDates] = useState<[string, string] | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<Photo | null>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const urls = usePhotoUrls(photos);
  const reload = async () => setPhotos(await listPhotos());
  useEffect(() => void reload(), []);
  useEffect(() => {
    if (!deleted) return;
    undoButton.current?.focus();
    const timer = setTimeout(() => setDeleted(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [deleted]);
  if (!current) return null;

  const byDate = new Map<string, Photo[]>();
  for (const p of photos) byDate.set(p.date, [...(byDate.get(p.date) ?? []), p]);

  const pick = async (view: PhotoView, input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    await addPhoto(date, view, file);
    announce(t('photos.saved', { view: viewLabel(view) }));
    await reload();
  };

  const saveToPhone = (photo: Photo) => {
    const link = document.createElement('a');
    link.href = urls[photo.id];
    const ext = photo.blob.type.split('/')[1] || 'jpg';
    link.download = `skin-${photo.date}-${photo.view}.${ext}`;
    link.click();
  };

  const remove = async (photo: Photo) => {
    await deletePhoto(photo.id);
    setConfirming(null);
    setDeleted(photo);
    announce(t('photos.deleted'));
    await reload();
  };

  const undo = async (photo: Photo) => {
    setDeleted(null);
    announce((await restorePhoto(photo)) ? t('photos.restored') : t('photos.newer'));
    await reload();
  };

  const dates = [...byDate.keys()];
  const [earlier, later] = compareDates ?? [dates[dates.length - 1], dates[0]];

  function compare() {
    const shot = (day: string) => byDate.get(day)?.find((p) => p.view === compareView);
    return (
      <section class="card" aria-labelledby="compare-heading">
        <h2 id="compare-heading">{t('photos.compare.heading')}</h2>
        <div class="compare-controls">
          <div class="field">
            <label for="compare-view">{t('photos.compare.view')}</label>
            <select id="compare-view" value={compareView} onChange={(e) => setCompareView((e.currentTarget as HTMLSelectElement).value as PhotoView)}>
              {PHOTO_VIEWS.map((v) => (
                <option key={v} value={v}>
                  {viewLabel(v)}
                </option>
              ))}
            </select>
          </div>
          {(['earlier', 'later'] as const).map((which, i) => (
            <div class="field" key={which}>
              <label for={`compare-${which}`}>{which === 'earlier' ? t('photos.compare.first') : t('photos.compare.second')}</label>
              <select
                id={`compare-${which}`}
                value={i === 0 ? earlier : later}
                onChange={(e) => {
                  const value = (e.currentTarget as HTMLSelectElement).value;
                  setCompareDates(i === 0 ? [value, later] : [earlier, value]);
                }}
              >
                {dates.map((d) => (
                  <option key={d} value={d}>
                    {formatDate(d)} ({dayOfCourse(current!.start_date, d)})
                  </option>
                ))}
              </select>
            </div>
          ))}
        </div>
        <ul class="photo-row photo-compare">
          {[earlier, later].map((day, i) => {
            const photo = shot(day);
            return (
              <li key={`${i}-${day}`}>
                {photo ? (
                  <figure>
                    <img src={urls[photo.id]} alt={t('photos.which', { view: viewLabel(compareView), day: formatDate(day) })} />
                    <figcaption>
                      {formatDate(day)} · {dayOfCourse(current!.start_date, day)}
                    </figcaption>
                  </figure>
                ) : (
                  <p class="muted">{t(`photos.compare.missing.${compareView}`, { day: formatDate(day) })}</p>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    );
  }

  return (
    <div class="view photos" lang={language.value}>
      <h1 tabIndex={-1}>{t('photos.title')}</h1>
      <p class="card card-attention">
        {t('photos.local_only')}
      </p>
      <section class="card" aria-labelledby="add-photo-heading">
        <h2 id="add-photo-heading">{t('photos.add.heading')}</h2>
        <div class="field">
          <label for="photo-date">{t('photos.date')}</label>
          <input id="photo-date" type="date" value={date} max={courseToday()} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="button-row">
          {PHOTO_VIEWS.map((view) => (
            <label class="button" key={view} for={`photo-${view}`}>
              {viewLabel(view)}
              <input
                id={`photo-${view}`}
                class="visually-hidden"
                type="file"
                accept="image/*"
                capture="user"
                onChange={(e) => void pick(view, e.currentTarget)}
              />
            </label>
          ))}
        </div>
      </section>
      {byDate.size > 1 && compare()}
      {[...byDate.entries()].map(([day, list]) => (
        <section class="card photo-day" key={day} aria-labelledby={`photos-${day}`}>
          <h2 id={`photos-${day}`}>
            {formatDate(day)} · {dayOfCourse(current.start_date, day)}
          </h2>
          <ul class="photo-row">
            {PHOTO_VIEWS.map((view) => {
              const photo = list.find((p) => p.view === view);
              return (
                <li key={view}>
                  {photo ? (
                    <figure>
                      <img src={urls[photo.id]} alt={t('photos.which', { view: viewLabel(view), day: formatDate(day) })} />
                      <figcaption>{viewLabel(view)}</figcaption>
                      <button type="button" class="button button-small" onClick={() => saveToPhone(photo)}>
                        {t('photos.save')}
                        <span class="visually-hidden">: {t('photos.which', { view: viewLabel(view), day: formatDate(day) })}</span>
                      </button>
                      {confirming === photo.id ? (
                        <div class="photo-confirm" role="group" aria-label={t('photos.delete.which', { view: viewLabel(view), day: formatDate(day) })}>
                          <p>{t('photos.delete.question')}</p>
                          <button type="button" class="button button-danger button-small" onClick={() => void remove(photo)}>
                            {t('photos.delete')}
                            <span class="visually-hidden">: {t('photos.which', { view: viewLabel(view), day: formatDate(day) })}</span>
                          </button>
                          <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(null)}>
                            {t('photos.keep')}
                          </button>
                        </div>
                      ) : (
                        <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(photo.id)}>
                          {t('photos.delete.ask')}
                          <span class="visually-hidden">: {t('photos.which', { view: viewLabel(view), day: formatDate(day) })}</span>
                        </button>
                      )}
                    </figure>
                  ) : (
                    <p class="muted">{t('photos.none', { view: viewLabel(view) })}</p>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {deleted && (
        <div class="undo-bar" role="status">
          <span>
            {t('photos.undo.text', { view: viewLabel(deleted.view), day: formatDate(deleted.date) })}
          </span>
          <button type="button" ref={undoButton} class="button button-small" onClick={() => void undo(deleted)}>
            {t('photos.undo')}
          </button>
        </div>
      )}
      {photos.length > 0 && (
        <section class="card" aria-labelledby="delete-photos-heading">
          <h2 id="delete-photos-heading">{t('photos.delete_all.heading')}</h2>
          {confirmAll ? (
            <div class="button-row">
              <button
                type="button"
                class="button button-danger"
                onClick={async () => {
                  await deleteAllPhotos();
                  setConfirmAll(false);
                  announce(t('photos.delete_all.done'));
                  await reload();
                }}
              >
                {t('photos.delete_all.confirm')}
              </button>
              <button type="button" class="button button-quiet" onClick={() => setConfirmAll(false)}>
                {t('photos.delete_all.keep')}
              </button>
            </div>
          ) : (
            <button type="button" class="button button-danger" onClick={() => setConfirmAll(true)}>
              {t('photos.delete_all.ask')}
            </button>
          )}
        </section>
      )}
    </div>
  );
}
