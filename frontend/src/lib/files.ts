/**
 * Files the server makes in the background (the data export, the report PDF): ask for one (202 with its
 * status), poll the status about once a second until the worker has made it, then download it.
 */
import { t } from '../i18n';
import { getSession } from './db';
import { ApiError, NetworkError, request } from './http';

export interface FileJob {
  id: string;
  kind: 'export' | 'report_pdf';
  status: 'queued' | 'running' | 'done' | 'failed';
  filename: string | null;
  file_url: string | null;
  error: string | null;
}

export interface MadeFile {
  blob: Blob;
  filename: string;
}

/** The worker said the file cannot be made (e.g. its course was deleted meanwhile). */
export class FileFailed extends Error {}

/** The file was not made in `WAIT_MS`: the server is busy. */
export class FileTimedOut extends Error {}

const POLL_MS = 1000;
const WAIT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs `path` (with `query`), waits for the made file and downloads it; NetworkError offline. */
export async function madeFile(path: string, query?: Record<string, string>): Promise<MadeFile> {
  const token = (await getSession())?.token;
  let job = (await request<FileJob>('POST', path, { token, query })).data;
  const started = Date.now();
  while (job.status === 'queued' || job.status === 'running') {
    if (Date.now() - started > WAIT_MS) throw new FileTimedOut();
    await sleep(POLL_MS);
    job = (await request<FileJob>('GET', `/files/${encodeURIComponent(job.id)}`, { token })).data;
  }
  if (job.status !== 'done' || !job.file_url) throw new FileFailed(job.error ?? '');
  let response: Response;
  try {
    response = await fetch(job.file_url, {
      headers: token ? { Authorization: `Bearer ${token}` } : {},
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!response.ok) throw new ApiError(response.status, {});
  return { blob: await response.blob(), filename: job.filename ?? 'clearcourse' };
}

/** Saves `file` through a download link. */
export function saveFile(file: MadeFile): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What to tell the patient when a made file could not be had. */
export function fileProblem(error: unknown): string {
  if (error instanceof NetworkError) return t('jobs.offline');
  if (error instanceof FileTimedOut) return t('jobs.slow');
  if (error instanceof ApiError && error.status === 429) return t('jobs.too_many');
  if (error instanceof ApiError && error.status === 404) return t('jobs.expired');
  if (error instanceof ApiError && error.status < 500) return error.message;
  return t('jobs.failed');
}
