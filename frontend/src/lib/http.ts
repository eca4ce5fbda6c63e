/** Minimal JSON-over-HTTP client shared by the page and the service worker. */
import { language } from '../i18n/locale';

export const API_BASE = '/api/v1';

export type FieldErrors = Record<string, string[]>;

/** The server answered with a non-2xx status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldErrors;
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    super(typeof body.message === 'string' ? body.message : `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof body.code === 'string' ? body.code : String(status);
    this.fieldErrors = flattenErrors(body.errors);
    this.body = body;
  }
}

/** The request never got an answer (offline, DNS, connection reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('No connection');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** Turns smorest-style nested errors ({json: {weight_kg: ["..."]}}) into "weight_kg" → messages. */
export function flattenErrors(errors: unknown, prefix = ''): FieldErrors {
  const out: FieldErrors = {};
  if (!errors || typeof errors !== 'object') return out;
  for (const [key, value] of Object.entries(errors as Record<string, unknown>)) {
    const isLocation = prefix === '' && ['json', 'query', 'path', 'headers', 'form'].includes(key);
    const path = isLocation ? '' : prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      out[path || '_'] = value as string[];
    } else if (typeof value === 'string') {
      out[path || '_'] = [value];
    } else {
      Object.assign(out, flattenErrors(value, path));
    }
  }
  return out;
}

export interface RequestOptions {
  token?: string | null;
  body?: unknown;
  query?: Record<string, string>;
  signal?: AbortSignal;
  /** The service worker answers this GET from its cache when offline: send it even then. */
  swCached?: boolean;
}

export interface HttpResult<T> {
  status: number;
  data: T;
  /** The URL of the next page of a paged list (the `Link: <…>; rel="next"` header), or null. */
  next: string | null;
}

function nextPage(link: string | null): string | null {
  const match = /<([^>]+)>\s*;\s*rel="next"/.exec(link ?? '');
  return match ? match[1] : null;
}

/** Sends one request; throws NetworkError when offline and ApiError on a non-2xx answer. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResult<T>> {
  const url = new URL(path.startsWith('/api/') ? path : `${API_BASE}${path}`, self.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language.value };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  // Known to be offline: fail as a lost connection would, without a request the browser would log as failed
  // (unless the service worker keeps an answer for it).
  if (navigator.onLine === false && !options.swCached) throw new NetworkError(new Error('offline'));
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      cache: 'no-store',
      credentials: 'omit',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { message: text.slice(0, 200) };
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, (data as Record<string, unknown>) ?? {});
  }
  return { status: response.status, data: data as T, next: nextPage(response.headers.get('Link')) };
}

/** Every item of a paged list, following the server's `Link: <…>; rel="next"` pages. */
export async function allPages<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
  let page = await request<T[]>('GET', path, options);
  const items = [...page.data];
  while (page.next) {
    page = await request<T[]>('GET', page.next, { ...options, query: undefined });
    items.push(...page.data);
  }
  return items;
}
