import type { Errors } from '../components/Form';
import { ApiError, NetworkError } from './http';

export const OFFLINE_MESSAGE = 'You seem to be offline: the server could not be reached. Nothing was lost — try again when you are connected.';

/** A sentence a patient can act on, for any failure of an API call. */
export function messageFor(error: unknown): string {
  if (error instanceof NetworkError) return OFFLINE_MESSAGE;
  if (error instanceof ApiError) {
    if (error.status === 401) return 'This device is no longer linked to an account.';
    if (error.status === 429) return 'Too many tries. Please wait a minute and try again.';
    if (error.status >= 500) return 'The server had a problem. Please try again in a moment.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

/** Maps a 422's field errors onto the form's field ids; anything unknown goes to "_server". */
export function fieldErrorsFrom(error: unknown, fieldFor: (apiField: string) => string | null): Errors {
  if (error instanceof NetworkError) return { _offline: OFFLINE_MESSAGE };
  if (!(error instanceof ApiError) || !Object.keys(error.fieldErrors).length) return { _server: messageFor(error) };
  const errors: Errors = {};
  for (const [apiField, messages] of Object.entries(error.fieldErrors)) {
    const field = fieldFor(apiField) ?? '_server';
    const text = field === '_server' ? `${apiField}: ${messages.join(' ')}` : messages.join(' ');
    errors[field] = errors[field] ? `${errors[field]} ${text}` : text;
  }
  return errors;
}

export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
