export const DEFAULT_DISCLAIMER =
  'ClearCourse helps you keep track. It does not replace your dermatologist: follow your prescriber’s advice.';

export function Disclaimer({ text }: { text?: string | null }) {
  return (
    <p class="disclaimer">
      <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 3 2 20h20L12 3Zm0 6v5m0 3v.5" />
      </svg>
      <span>{text || DEFAULT_DISCLAIMER}</span>
    </p>
  );
}
