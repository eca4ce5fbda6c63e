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
import { announce, course, courseToday } from '../store';

const VIEW_LABEL: Record<PhotoView, string> = { front: 'Front', left: 'Left side', right: 'Right side' };
/** How long "Undo" is offered after a photo is deleted. */
export const UNDO_MS = 10_000;

/** "day 12" of the course, or "3 days before day 1" for a baseline photo. */
function dayOfCourse(start: string, date: string): string {
  const n = Math.round((Date.parse(`${date}T12:00:00Z`) - Date.parse(`${start}T12:00:00Z`)) / 86_400_000) + 1;
  if (n >= 1) return `day ${n}`;
  return `${1 - n} day${n === 0 ? '' : 's'} before day 1`;
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
    announce(`${VIEW_LABEL[view]} photo saved on this phone.`);
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
    announce('Photo deleted.');
    await reload();
  };

  const undo = async (photo: Photo) => {
    setDeleted(null);
    announce((await restorePhoto(photo)) ? 'Photo put back.' : 'A newer photo of that day and view is there now; it stays.');
    await reload();
  };

  const dates = [...byDate.keys()];
  const [earlier, later] = compareDates ?? [dates[dates.length - 1], dates[0]];

  function compare() {
    const shot = (day: string) => byDate.get(day)?.find((p) => p.view === compareView);
    return (
      <section class="card" aria-labelledby="compare-heading">
        <h2 id="compare-heading">Compare two days</h2>
        <div class="compare-controls">
          <div class="field">
            <label for="compare-view">View</label>
            <select id="compare-view" value={compareView} onChange={(e) => setCompareView((e.currentTarget as HTMLSelectElement).value as PhotoView)}>
              {PHOTO_VIEWS.map((v) => (
                <option key={v} value={v}>
                  {VIEW_LABEL[v]}
                </option>
              ))}
            </select>
          </div>
          {(['earlier', 'later'] as const).map((which, i) => (
            <div class="field" key={which}>
              <label for={`compare-${which}`}>{which === 'earlier' ? 'First day' : 'Second day'}</label>
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
                    <img src={urls[photo.id]} alt={`${VIEW_LABEL[compareView]}, ${formatDate(day)}`} />
                    <figcaption>
                      {formatDate(day)} · {dayOfCourse(current!.start_date, day)}
                    </figcaption>
                  </figure>
                ) : (
                  <p class="muted">
                    No {VIEW_LABEL[compareView].toLowerCase()} photo on {formatDate(day)}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </section>
    );
  }

  return (
    <div class="view photos">
      <h1 tabIndex={-1}>Skin photos</h1>
      <p class="card card-attention">
        These photos stay in this browser on this phone only: they are never uploaded, not even in your data export.
        Clearing the app's data, deleting the app or the browser's storage loses them, so use “Save to phone” for any
        you want to keep.
      </p>
      <section class="card" aria-labelledby="add-photo-heading">
        <h2 id="add-photo-heading">Add photos</h2>
        <div class="field">
          <label for="photo-date">Date</label>
          <input id="photo-date" type="date" value={date} max={courseToday()} onInput={(e) => setDate(e.currentTarget.value)} />
        </div>
        <div class="button-row">
          {PHOTO_VIEWS.map((view) => (
            <label class="button" key={view} for={`photo-${view}`}>
              {VIEW_LABEL[view]}
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
                      <img src={urls[photo.id]} alt={`${VIEW_LABEL[view]}, ${formatDate(day)}`} />
                      <figcaption>{VIEW_LABEL[view]}</figcaption>
                      <button type="button" class="button button-small" onClick={() => saveToPhone(photo)}>
                        Save to phone<span class="visually-hidden">: {VIEW_LABEL[view]}, {formatDate(day)}</span>
                      </button>
                      {confirming === photo.id ? (
                        <div class="photo-confirm" role="group" aria-label={`Delete ${VIEW_LABEL[view]}, ${formatDate(day)}?`}>
                          <p>Delete this photo?</p>
                          <button type="button" class="button button-danger button-small" onClick={() => void remove(photo)}>
                            Delete<span class="visually-hidden">: {VIEW_LABEL[view]}, {formatDate(day)}</span>
                          </button>
                          <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(null)}>
                            Keep
                          </button>
                        </div>
                      ) : (
                        <button type="button" class="button button-quiet button-small" onClick={() => setConfirming(photo.id)}>
                          Delete…<span class="visually-hidden">: {VIEW_LABEL[view]}, {formatDate(day)}</span>
                        </button>
                      )}
                    </figure>
                  ) : (
                    <p class="muted">{VIEW_LABEL[view]}: none</p>
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
            {VIEW_LABEL[deleted.view]} photo of {formatDate(deleted.date)} deleted.
          </span>
          <button type="button" ref={undoButton} class="button button-small" onClick={() => void undo(deleted)}>
            Undo
          </button>
        </div>
      )}
      {photos.length > 0 && (
        <section class="card" aria-labelledby="delete-photos-heading">
          <h2 id="delete-photos-heading">Delete all photos</h2>
          {confirmAll ? (
            <div class="button-row">
              <button
                type="button"
                class="button button-danger"
                onClick={async () => {
                  await deleteAllPhotos();
                  setConfirmAll(false);
                  announce('All photos deleted.');
                  await reload();
                }}
              >
                Yes, delete every photo
              </button>
              <button type="button" class="button button-quiet" onClick={() => setConfirmAll(false)}>
                Keep them
              </button>
            </div>
          ) : (
            <button type="button" class="button button-danger" onClick={() => setConfirmAll(true)}>
              Delete all photos…
            </button>
          )}
        </section>
      )}
    </div>
  );
}
