import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

/** A local CA made for one test with the machine's `openssl`, and certificates it signs. */
export interface TestCa {
  readonly cert: string;
  /** A server certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1). */
  server(): KeyPair;
  /** A client certificate (extendedKeyUsage clientAuth) valid for `days`. */
  client(cn: string, days?: number): KeyPair;
  remove(): void;
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export const makeTestCa = (name = 'Hookrelay Test CA'): TestCa => {
  const dir = mkdtempSync(join(tmpdir(), 'hookrelay-ca-'));
  const file = (n: string) => join(dir, n);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
  );
  let serial = 0;
  const issue = (cn: string, days: number, extensions: string): KeyPair => {
    serial += 1;
    const base = `leaf${serial}`;
    writeFileSync(file(`${base}.ext`), extensions);
    openssl(
      'req',
      ...ecKey,
      '-keyout',
      `${base}.key`,
      '-out',
      `${base}.csr`,
      '-subj',
      `/CN=${cn}/O=Hookrelay Tests`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      `${base}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(serial),
      '-out',
      `${base}.pem`,
      '-days',
      String(days),
      '-extfile',
      `${base}.ext`,
    );
    return {
      cert: readFileSync(file(`${base}.pem`), 'utf8'),
      key: readFileSync(file(`${base}.key`), 'utf8'),
    };
  };
  return {
    cert: readFileSync(file('ca.pem'), 'utf8'),
    server: () => issue('127.0.0.1', 2, 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'),
    client: (cn, days = 90) => issue(cn, days, 'extendedKeyUsage=clientAuth\n'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
};
