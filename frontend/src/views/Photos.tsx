import { useEffect, useMemo, useState } from 'preact/hooks';
import { formatDate } from '../lib/dates';
import { addPhoto, deleteAllPhotos, deletePhoto, listPhotos, PHOTO_VIEWS, type Photo, type PhotoView } from '../lib/photos';
import { announce, course, courseToday } from '../store';

const VIEW_LABEL: Record<PhotoView, string> = { front: 'Front', left: 'Left side', right: 'Right side' };

function dayOfCourse(start: string, date: string): number {
  return Math.round((Date.parse(`${date}T12:00:00Z`) - Date.parse(`${start}T12:00:00Z`)) / 86_400_000) + 1;
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
  const urls = usePhotoUrls(photos);
  const reload = async () => setPhotos(await listPhotos());
  useEffect(() => void reload(), []);
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
      {[...byDate.entries()].map(([day, list]) => (
        <section class="card photo-day" key={day} aria-labelledby={`photos-${day}`}>
          <h2 id={`photos-${day}`}>
            {formatDate(day)} · day {dayOfCourse(current.start_date, day)}
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
                      <button
                        type="button"
                        class="button button-quiet button-small"
                        onClick={async () => {
                          await deletePhoto(photo.id);
                          announce('Photo deleted.');
                          await reload();
                        }}
                      >
                        Delete<span class="visually-hidden">: {VIEW_LABEL[view]}, {formatDate(day)}</span>
                      </button>
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
