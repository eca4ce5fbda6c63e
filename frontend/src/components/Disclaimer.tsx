import { t } from '../i18n';

export function Disclaimer({ text }: { text?: string | null }) {
  return (
    <p class="disclaimer">
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 3 2 20h20L12 3Zm0 6v5m0 3v.5" />
      </svg>
      <span>{text || t('setup.disclaimer')}</span>
    </p>
  );
}
