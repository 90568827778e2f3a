import { settingError, type NumericSetting, type StudioConfig } from './config';
import { useStudio } from './store';

/** The settings: store.ts persists them. */

export function setSetting<K extends keyof StudioConfig>(key: K, value: StudioConfig[K]): void {
  useStudio.setState((s) => ({ config: { ...s.config, [key]: value } }));
}

export function setInvalid(key: NumericSetting, message: string | null): void {
  useStudio.setState((s) => {
    const invalid = { ...s.invalid };
    if (message) invalid[key] = message;
    else delete invalid[key];
    return { invalid };
  });
}

/** A number typed into a field: stored when valid, reported when not (the last valid value stays in use). */
export function enterNumber(key: NumericSetting, value: number): void {
  const message = settingError(key, value);
  setInvalid(key, message);
  if (!message) setSetting(key, value);
}
