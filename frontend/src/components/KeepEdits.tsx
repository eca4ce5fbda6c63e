import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Course } from '../types';

/**
 * Shows a form for the course as it was when the patient began to change it. A newer copy of the course (the
 * background refresh, another phone's change) replaces the form only while the patient has changed nothing in
 * it, so a refresh never wipes a half-made edit; sending the form takes the next copy again.
 */
export function KeepEdits({ current, children }: { current: Course; children: (shown: Course) => JSX.Element }) {
  const [shown, setShown] = useState(current);
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setShown(current);
  }, [current]);
  const edited = () => {
    editing.current = true;
  };
  return (
    <div
      key={`${shown.id}:${shown.updated_at}`}
      onInput={edited}
      onChange={edited}
      onSubmit={() => {
        editing.current = false;
      }}
    >
      {children(shown)}
    </div>
  );
}
