import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Archive } from '@hookrelay/inbound';

/** S3 allows 2 KB of user metadata per object; longer header sets stay in the metadata item only. */
const MAX_METADATA = 1800;

/** Raw bodies in S3, byte for byte, with the headers that matter as object metadata. */
export class S3Archive implements Archive {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Buffer, contentType: string | undefined, headers: Record<string, string>) {
    const encoded = encodeURIComponent(JSON.stringify(headers));
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType ?? 'application/octet-stream',
        ...(encoded.length <= MAX_METADATA ? { Metadata: { headers: encoded } } : {}),
      }),
    );
    return `s3://${this.bucket}/${key}`;
  }

  async get(key: string, range?: { offset: number; length: number }): Promise<Buffer | undefined> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
        }),
      );
      const bytes = await out.Body?.transformToByteArray();
      return bytes ? Buffer.from(bytes) : undefined;
    } catch (error) {
      if (error instanceof NoSuchKey || (error instanceof Error && error.name === 'NoSuchKey'))
        return undefined;
      throw error;
    }
  }
}
