/**
 * Skin photos, kept only in this browser's IndexedDB as Blobs (their own database, so the app's data
 * store can change without touching them). No function here sends anything over the network.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type PhotoView = 'front' | 'left' | 'right';
export const PHOTO_VIEWS: PhotoView[] = ['front', 'left', 'right'];

export interface Photo {
  id: string;
  date: string;
  view: PhotoView;
  blob: Blob;
  createdAt: number;
}

interface PhotoDB extends DBSchema {
  photos: { key: string; value: Photo; indexes: { byDate: string } };
}

export const PHOTO_DB_NAME = 'clearcourse-photos';
let dbPromise: Promise<IDBPDatabase<PhotoDB>> | null = null;

function photoDb(): Promise<IDBPDatabase<PhotoDB>> {
  dbPromise ??= openDB<PhotoDB>(PHOTO_DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('photos', { keyPath: 'id' }).createIndex('byDate', 'date');
    },
    blocking() {
      void dbPromise?.then((db) => db.close());
      dbPromise = null;
    },
  });
  return dbPromise;
}

/** Stores a photo; a new photo of the same date and view replaces the old one. */
export async function addPhoto(date: string, view: PhotoView, blob: Blob): Promise<Photo> {
  const db = await photoDb();
  const tx = db.transaction('photos', 'readwrite');
  for (const old of await tx.store.index('byDate').getAll(date)) if (old.view === view) await tx.store.delete(old.id);
  const photo: Photo = { id: crypto.randomUUID(), date, view, blob, createdAt: Date.now() };
  await tx.store.put(photo);
  await tx.done;
  return photo;
}

export async function listPhotos(): Promise<Photo[]> {
  const all = await (await photoDb()).getAll('photos');
  return all.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : PHOTO_VIEWS.indexOf(a.view) - PHOTO_VIEWS.indexOf(b.view)));
}

export async function deletePhoto(id: string): Promise<void> {
  await (await photoDb()).delete('photos', id);
}

/**
 * Puts a deleted photo back as it was (the undo after a delete). Returns false, changing nothing, when a
 * photo of the same date and view has been added since: the newer one stays.
 */
export async function restorePhoto(photo: Photo): Promise<boolean> {
  const db = await photoDb();
  const tx = db.transaction('photos', 'readwrite');
  const taken = (await tx.store.index('byDate').getAll(photo.date)).some((p) => p.view === photo.view);
  if (!taken) await tx.store.put(photo);
  await tx.done;
  return !taken;
}

export async function deleteAllPhotos(): Promise<void> {
  await (await photoDb()).clear('photos');
}
