import { useEffect, useState } from 'preact/hooks';
import { caregiversApi as api } from '../lib/caregivers';
import { formatClock, formatDate } from '../lib/dates';
import { messageFor } from '../lib/errors';
import { t } from '../i18n';
import { announce, offline } from '../store';
import type { CaregiverInvite, CaregiverLink, Caregiving, Course } from '../types';
import { CaregiverView } from './CaregiverView';

/** Settings → Caregivers: invite, see who joined, choose what they see, preview it, remove them. */
export function CaregiversPanel({ current }: { current: Course }) {
  const [invite, setInvite] = useState<CaregiverInvite | null>(null);
  const [links, setLinks] = useState<CaregiverLink[] | null>(null);
  const [preview, setPreview] = useState<{ id: string; data: Caregiving } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    api
      .list()
      .then((list) => {
        setLinks(list.filter((link) => link.course_id === current.id));
        setError(null);
      })
      .catch((failure) => setError(messageFor(failure)));

  useEffect(() => {
    void load();
  }, [offline.value, current.id]);

  const act = async (action: () => Promise<unknown>, said: string) => {
    try {
      await action();
      announce(said);
      setPreview(null);
      await load();
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  const create = () =>
    act(async () => setInvite(await api.createInvite(current.id)), t('settings.caregivers.created'));

  const showPreview = async (id: string) => {
    try {
      setPreview({ id, data: await api.preview(id) });
    } catch (failure) {
      setError(messageFor(failure));
    }
  };

  return (
    <div>
      <p>
        {t('settings.caregivers.intro')}
      </p>
      <button type="button" class="button button-secondary" onClick={create}>
        {invite ? t('settings.caregivers.new') : t('settings.caregivers.invite')}
      </button>
      {invite && (
        <div class="link-code">
          <p>
            <span class="visually-hidden">{t('settings.caregivers.code')} </span>
            <strong class="code">{invite.code}</strong>
          </p>
          <p class="caregiver-link">
            {t('settings.caregivers.send_link')} <span class="code-link">{new URL(invite.link, location.origin).href}</span>
          </p>
          <p class="muted">{t('settings.caregivers.valid', { time: formatClock(invite.expires_at) })}</p>
        </div>
      )}
      {error && <p class="error" role="alert">{error}</p>}
      {links && links.length === 0 && <p class="muted">{t('settings.caregivers.none')}</p>}
      {links && links.length > 0 && (
        <>
          <ul class="devices caregivers">
            {links.map((link, index) => (
              <li key={link.id}>
                <div>
                  <p class="device-name">{t('settings.caregivers.name', { number: index + 1 })}</p>
                  <p class="muted">{t('settings.caregivers.joined', { day: formatDate(link.created_at.slice(0, 10)) })}</p>
                  <label>
                    <input
                      type="checkbox"
                      checked={link.show_appointments}
                      onChange={(e) =>
                        act(
                          () => api.update(link.id, { show_appointments: (e.target as HTMLInputElement).checked }),
                          t('settings.saved'),
                        )
                      }
                    />{' '}
                    {t('settings.caregivers.show_appointments')}
                  </label>
                  <label>
                    <input
                      type="checkbox"
                      checked={link.nudge_allowed}
                      onChange={(e) => act(() => api.update(link.id, { nudge_allowed: (e.target as HTMLInputElement).checked }), t('settings.saved'))}
                    />{' '}
                    {t('settings.caregivers.nudge_allowed')}
                  </label>
                  <p class="muted">{t(link.nudge_active ? 'settings.caregivers.nudge_on' : 'settings.caregivers.nudge_off')}</p>
                  <p>
                    <button type="button" class="button button-secondary" onClick={() => showPreview(link.id)}>
                      {t('settings.caregivers.preview')}
                    </button>{' '}
                    <button type="button" class="button button-secondary" onClick={() => act(() => api.remove(link.id), t('settings.caregivers.removed'))}>
                      {t('settings.remove')}
                    </button>
                  </p>
                </div>
              </li>
            ))}
          </ul>
          <button type="button" class="button button-secondary" onClick={() => act(() => api.removeAll(), t('settings.caregivers.all_removed'))}>
            {t('settings.caregivers.remove_all')}
          </button>
        </>
      )}
      {preview && (
        <section class="caregiver-preview" aria-labelledby="caregiver-preview-heading">
          <h3 id="caregiver-preview-heading">{t('settings.caregivers.preview.heading')}</h3>
          <CaregiverView data={preview.data} />
        </section>
      )}
    </div>
  );
}
