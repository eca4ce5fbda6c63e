import type { Errors } from '../components/Form';
import { t } from '../i18n';
import { ApiError, NetworkError } from './http';

export const offlineMessage = () => t('errors.offline');

/** A sentence a patient can act on, for any failure of an API call. */
export function messageFor(error: unknown): string {
  if (error instanceof NetworkError) return offlineMessage();
  if (error instanceof ApiError) {
    if (error.status === 401) return t('errors.unlinked');
    if (error.status === 429) return t('errors.too_many');
    if (error.status >= 500) return t('errors.server');
    return error.message;
  }
  return t('errors.unknown');
}

/** Maps a 422's field errors onto the form's field ids; anything unknown goes to "_server". */
export function fieldErrorsFrom(error: unknown, fieldFor: (apiField: string) => string | null): Errors {
  if (error instanceof NetworkError) return { _offline: offlineMessage() };
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
