export type Mode = 'light' | 'dark';

const HEX = /^#[0-9a-f]{6}$/i;

const luminance = (hex: string): number => {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
};

/** WCAG contrast ratio of two `#rrggbb` colours (1 to 21). */
const contrast = (a: string, b: string): number => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
};

// The surfaces of styles.css the accent is drawn on.
const PAGE: Record<Mode, string> = { light: '#ffffff', dark: '#0f1419' };
const INK: Record<Mode, string> = { light: '#0b57d0', dark: '#8ab4f8' };

/**
 * The CSS variables a tenant's accent sets: filled buttons in the accent with whichever of black
 * or white reads on it, and accent-coloured text only where it keeps 4.5:1 on the page (the
 * default ink otherwise), so a theme cannot make the portal unreadable.
 */
export const accentVariables = (accent: string | undefined, mode: Mode): Record<string, string> => {
  if (!accent || !HEX.test(accent)) return {};
  const onAccent = contrast(accent, '#ffffff') >= contrast(accent, '#000000') ? '#ffffff' : '#000000';
  return {
    '--accent': accent,
    '--on-accent': onAccent,
    '--accent-ink': contrast(accent, PAGE[mode]) >= 4.5 ? accent : INK[mode],
  };
};
