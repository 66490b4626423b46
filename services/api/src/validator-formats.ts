import { fullFormats } from 'ajv-formats/dist/formats.js';

/**
 * The formats the generated validators call (scripts/emit-validators.ts). They load with a
 * route group's validators, not at a cold start.
 */

/** A host name as DNS has them (letters, digits, "-", "_" in dot-separated labels), or an IPv6 literal. */
const DIALLABLE_HOST =
  /^(?:\[[0-9a-f:.]+\]|(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?)$/;

/**
 * The URLs the platform takes are ones it will call: they must parse as a URL does when it is
 * dialled (a port past 65535 does not), be http(s), name a host that DNS could answer for and a
 * port that exists.
 */
const isCallableUrl = (text: string): boolean => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    DIALLABLE_HOST.test(url.hostname) &&
    url.port !== '0'
  );
};

/** The `format`s a schema may name: ajv-formats' full set, with `uri` meaning a URL we can call. */
export const formats = { ...fullFormats, uri: isCallableUrl };
