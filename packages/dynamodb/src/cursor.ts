import { createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@hookrelay/domain';

/**
 * Opaque pagination cursors: base64url JSON plus an HMAC over it and the tenant id, so a
 * cursor cannot be forged, edited or replayed by another tenant.
 *
 * @example
 * const codec = new CursorCodec(secret);
 * codec.decode('acme', codec.encode('acme', { a: 1 })) // { a: 1 }
 */
export class CursorCodec {
  constructor(private readonly secret: string) {}

  private mac(tenantId: string, body: string): Buffer {
    return createHmac('sha256', this.secret).update(`${tenantId}\n${body}`).digest();
  }

  encode(tenantId: string, value: unknown): string {
    const body = Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${body}.${this.mac(tenantId, body).toString('base64url')}`;
  }

  decode<T>(tenantId: string, cursor: string): T {
    const invalid = new ValidationError('The cursor is not valid.', [
      { field: 'cursor', message: 'is not valid' },
    ]);
    const [body, mac, extra] = cursor.split('.');
    if (!body || !mac || extra !== undefined || cursor.length > 4096) throw invalid;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(tenantId, body);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      throw invalid;
    }
  }
}
