import { useEffect, useState } from 'react';
import { accentVariables, type Mode } from './accent.js';
import type { PortalTheme } from './session.js';

const preferred = (): Mode => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');

/**
 * Light or dark (the session's choice, else the reader's system setting, switchable in the
 * header) and the tenant's accent, as attributes and variables on <html>.
 */
export const useTheme = (theme: PortalTheme): { mode: Mode; toggle: () => void } => {
  const [mode, setMode] = useState<Mode>(theme.mode ?? preferred());
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = mode;
    root.style.colorScheme = mode;
    for (const [name, value] of Object.entries(accentVariables(theme.accent, mode))) {
      root.style.setProperty(name, value);
    }
  }, [mode, theme.accent]);
  return { mode, toggle: () => setMode((m) => (m === 'dark' ? 'light' : 'dark')) };
};
