import { t } from '../i18n';
import { offlineMessage } from '../lib/errors';
import type { ComponentChildren, TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';

export type Errors = Record<string, string | undefined>;

interface FieldProps {
  id: string;
  type?: 'text' | 'number' | 'date' | 'time';
  value: string;
  onInput: (event: TargetedEvent<HTMLInputElement, Event>) => void;
  inputMode?: 'decimal' | 'numeric' | 'text';
  min?: number | string;
  max?: number | string;
  step?: string;
  maxLength?: number;
  list?: string;
  onFocus?: () => void;
  autocomplete?: string;
  autocapitalize?: 'characters' | 'none' | 'off';
  spellcheck?: boolean;
  label: string;
  hint?: ComponentChildren;
  error?: string;
  suffix?: string;
}

/** The ids a control's aria-describedby names: its hint and its error, when shown. */
export function describedBy(id: string, hint?: ComponentChildren, error?: string): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The hint and error paragraphs under a label or legend. */
export function HintAndError({ id, hint, error }: { id: string; hint?: ComponentChildren; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </>
  );
}

/** A labelled input with its hint and error wired up for screen readers. */
export function Field({ id, label, hint, error, suffix, type = 'text', ...input }: FieldProps) {
  const described = describedBy(id, hint, error);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <HintAndError id={id} hint={hint} error={error} />
      <span class="input-row">
        <input id={id} name={id} type={type} aria-invalid={error ? 'true' : undefined} aria-describedby={described} {...input} />
        {suffix && <span class="suffix" aria-hidden="true">{suffix}</span>}
      </span>
    </div>
  );
}

interface Choice<T extends string> {
  value: T;
  label: string;
  hint?: string;
}

interface ChoicesProps<T extends string> {
  name: string;
  legend: string;
  hint?: ComponentChildren;
  error?: string;
  choices: Choice<T>[];
  value: T | null;
  onChange: (value: T) => void;
}

/** A radio group in a fieldset with a legend. */
export function Choices<T extends string>({ name, legend, hint, error, choices, value, onChange }: ChoicesProps<T>) {
  return (
    <fieldset class={error ? 'choices field-invalid' : 'choices'} aria-describedby={describedBy(name, hint, error)}>
      <legend>{legend}</legend>
      <HintAndError id={name} hint={hint} error={error} />
      {choices.map((choice) => (
        <div class="choice" key={choice.value}>
          <input
            type="radio"
            id={`${name}-${choice.value}`}
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
          <label for={`${name}-${choice.value}`}>
            {choice.label}
            {choice.hint && <span class="choice-hint">{choice.hint}</span>}
          </label>
        </div>
      ))}
    </fieldset>
  );
}

/** Lists the problems at the top of a form; it takes focus so the patient hears them at once. */
export function ErrorSummary({ errors, id = 'error-summary' }: { errors: Errors; id?: string }) {
  const entries = Object.entries(errors).filter(([, message]) => message);
  if (!entries.length) return null;
  const answers = entries.filter(([field]) => !field.startsWith('_')).length;
  // A failure that is not about an answer (offline, server) must not be titled as if one were wrong.
  const title = errors._offline || errors._server === offlineMessage()
    ? t('setup.errors.offline')
    : answers === 0
      ? t('setup.errors.failed')
      : t('setup.errors.check', { answers });
  return (
    <div class="error-summary" id={id} tabIndex={-1} role="alert">
      <h2>{title}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            {field.startsWith('_') ? message : <a href={`#${field}`}>{message}</a>}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The time zone as text, with the device's zones as suggestions. The ~420-option list is built when the
 * field first gets focus: it is most of the set-up screen's DOM, and nobody needs it before then.
 */
export function TimeZoneField({ id, value, onInput, error }: { id: string; value: string; onInput: (zone: string) => void; error?: string }) {
  const [suggest, setSuggest] = useState(false);
  const zones = suggest ? ((Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? []) : [];
  return (
    <>
      <Field
        id={id}
        label={t('setup.timezone')}
        hint={t('setup.timezone.hint')}
        error={error}
        value={value}
        list={zones.length ? `${id}-options` : undefined}
        onFocus={suggest ? undefined : () => setSuggest(true)}
        autocomplete="off"
        spellcheck={false}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {zones.length > 0 && (
        <datalist id={`${id}-options`}>
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      )}
    </>
  );
}

interface TextAreaProps {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: ComponentChildren;
  error?: string;
  maxLength?: number;
  rows?: number;
}

/** A labelled multi-line input, wired like Field. */
export function TextAreaField({ id, label, hint, error, value, onInput, maxLength, rows = 3 }: TextAreaProps) {
  const described = describedBy(id, hint, error);
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      <HintAndError id={id} hint={hint} error={error} />
      <textarea
        id={id}
        name={id}
        rows={rows}
        maxLength={maxLength}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        onInput={(e) => onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
    </div>
  );
}

interface CheckboxProps {
  id: string;
  label: ComponentChildren;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ComponentChildren;
  error?: string;
  disabled?: boolean;
}

/** A checkbox with its label (and optional hint or error) to the right. */
export function Checkbox({ id, label, checked, onChange, hint, error, disabled }: CheckboxProps) {
  const described = describedBy(id, hint, error);
  return (
    <div class={error ? 'choice choice-check field-invalid' : 'choice choice-check'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <label for={id}>
        {label}
        {hint && (
          <span id={`${id}-hint`} class="choice-hint">
            {hint}
          </span>
        )}
        {error && (
          <span id={`${id}-error`} class="error">
            {error}
          </span>
        )}
      </label>
    </div>
  );
}

interface SelectProps {
  id: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
  onChange: (value: string) => void;
  error?: string;
}

/** A labelled drop-down, wired like Field. */
export function SelectField({ id, label, value, options, onChange, error }: SelectProps) {
  return (
    <div class={error ? 'field field-invalid' : 'field'}>
      <label for={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
      <select
        id={id}
        name={id}
        value={value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export type TargetMode = 'target' | 'none';

interface TargetProps {
  /** Prefix of the ids ("" in onboarding, "edit-" in Settings); errors are keyed by `${prefix}target`. */
  idPrefix: string;
  mode: TargetMode;
  onMode: (mode: TargetMode) => void;
  target: string;
  onTarget: (value: string) => void;
  error?: string;
  legendHint?: string;
  targetHint?: string;
}

/** The cumulative target in mg/kg, or "no target" for a low-dose course. */
export function CumulativeTargetFields({ idPrefix, mode, onMode, target, onTarget, error, legendHint, targetHint }: TargetProps) {
  return (
    <>
      <Choices
        name={`${idPrefix}target-mode`}
        legend={t('setup.target')}
        hint={legendHint}
        value={mode}
        onChange={onMode}
        choices={[
          { value: 'target', label: t('setup.target.given') },
          { value: 'none', label: t('setup.target.none') },
        ]}
      />
      {mode === 'target' && (
        <Field
          id={`${idPrefix}target`}
          label={t('setup.target.value')}
          hint={targetHint}
          type="number"
          inputMode="decimal"
          min={1}
          step="any"
          suffix="mg/kg"
          value={target}
          error={error}
          onInput={(e) => onTarget((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </>
  );
}
