'use client';

import { useId } from 'react';
import { type AccessLevel, accessLevelInfo, accessLevels } from '@/lib/access-levels';
import styles from './access-level-choice.module.css';

/**
 * "Access level": the two levels as tiles, each a native radio named by its label and described by
 * Amplify Studio's one-line description.
 */
export function AccessLevelChoice({
  value,
  onChange,
  name = 'accessLevel',
  disabled = false,
  error,
}: {
  value: AccessLevel | null;
  onChange: (level: AccessLevel) => void;
  name?: string;
  disabled?: boolean;
  error?: string;
}) {
  const id = useId();
  return (
    <fieldset
      className={styles.fieldset}
      disabled={disabled}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend className={styles.legend}>Access level</legend>
      <div className={styles.tiles}>
        {accessLevels.map((level) => {
          const info = accessLevelInfo[level];
          const inputId = `${id}-${level}`;
          return (
            <label key={level} htmlFor={inputId} className={styles.tile} data-checked={value === level}>
              <input
                id={inputId}
                type="radio"
                name={name}
                value={level}
                checked={value === level}
                onChange={() => onChange(level)}
                aria-describedby={`${inputId}-description`}
                className={styles.input}
              />
              <span className={styles.text}>
                <span className={styles.label}>{info.label}</span>
                <span id={`${inputId}-description`} className={styles.description}>
                  {info.description}
                </span>
              </span>
            </label>
          );
        })}
      </div>
      {error ? (
        <p id={`${id}-error`} className={styles.error} role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
