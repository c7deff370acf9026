import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A temp file untouched this long belongs to an upload whose process died. */
const STALE_TEMP_MS = 60 * 60_000;

export type HashName = 'md5' | 'sha1' | 'sha256';

export interface StagedBlob {
  key: string;
  size: number;
  hashes: Partial<Record<HashName, string>>;
}

export class BodyLengthError extends Error {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(`Expected ${expected} bytes but received ${received}`);
  }
}

const READ_CHUNK = 1024 * 1024;

/** One write, settled when the data is handed to the kernel (its buffer may be reused) or `out` closes. */
function writeChunk(out: Writable, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (out.destroyed) return reject(new Error('Output closed'));
    const onClose = () => reject(new Error('Output closed'));
    out.once('close', onClose);
    out.write(chunk, (error) => {
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    });
  });
}

/**
 * File contents on local disk. Every content version is an immutable file `blobs/<xx>/<key>` under a
 * fresh random key: uploads stream into `tmp/` and are renamed into place before the metadata commit,
 * so a crash leaves either the old version (plus an unreferenced blob) or the new one, never half a
 * file. Immutability lets COPY and the trash share content by hard link.
 */
export class BlobStore {
  readonly tmpDir: string;
  readonly blobDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    this.blobDir = path.join(root, 'blobs');
  }

  /**
   * Create folders and drop temp files of uploads a killed process did not finish. Several web
   * processes may share the store, so only files nobody has written to for an hour are dropped: an
   * upload in flight keeps touching its temp file.
   */
  async init(now = Date.now()): Promise<void> {
    await fsp.mkdir(this.tmpDir, { recursive: true });
    await fsp.mkdir(this.blobDir, { recursive: true });
    for (const name of await fsp.readdir(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      const stat = await fsp.stat(file).catch(() => undefined);
      if (stat && now - stat.mtimeMs > STALE_TEMP_MS) await fsp.rm(file, { recursive: true, force: true });
    }
  }

  pathOf(key: string): string {
    return path.join(this.blobDir, key.slice(0, 2), key);
  }

  newKey(): string {
    return crypto.randomBytes(12).toString('hex');
  }

  /**
   * Stream `body` into a new blob. `expectedLength` (Content-Length) is enforced; `hashes` are
   * computed while streaming, only when asked.
   */
  async write(body: Readable, options: { expectedLength?: number | undefined; hashes?: HashName[] } = {}): Promise<StagedBlob> {
    const key = this.newKey();
    const temp = path.join(this.tmpDir, key);
    const hashers = (options.hashes ?? []).map((name) => [name, crypto.createHash(name)] as const);
    const out = fs.createWriteStream(temp, { highWaterMark: 1024 * 1024 });
    let size = 0;
    try {
      if (hashers.length === 0) await pipeline(body, out);
      else {
        const hashing = new Transform({
          transform(chunk: Buffer, _enc, done) {
            for (const [, h] of hashers) h.update(chunk);
            done(null, chunk);
          },
        });
        await pipeline(body, hashing, out);
      }
      size = out.bytesWritten;
      if (options.expectedLength !== undefined && size !== options.expectedLength) {
        throw new BodyLengthError(options.expectedLength, size);
      }
      await this.place(temp, key);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return { key, size, hashes: Object.fromEntries(hashers.map(([n, h]) => [n, h.digest('hex')])) };
  }

  /** Concatenate blobs (chunked upload assembly) into a new blob. */
  async concat(keys: string[]): Promise<StagedBlob> {
    const key = this.newKey();
    const temp = path.join(this.tmpDir, key);
    let size = 0;
    try {
      const out = fs.createWriteStream(temp, { highWaterMark: 1024 * 1024 });
      for (const part of keys) {
        await pipeline(fs.createReadStream(this.pathOf(part), { highWaterMark: 1024 * 1024 }), out, { end: false });
        size += (await fsp.stat(this.pathOf(part))).size;
      }
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      await this.place(temp, key);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    return { key, size, hashes: {} };
  }

  /**
   * Write a blob, or the inclusive byte range of it, to `out` through two reused 1 MiB buffers (read the
   * next while the last is written). A read stream allocates a fresh buffer per read (page faults, GC):
   * serving 1 GiB that way took ~20 % longer. Rejects when `out` closes early or the file is short.
   */
  async copyTo(key: string, out: Writable, range?: { start: number; end: number }): Promise<void> {
    const file = await fsp.open(this.pathOf(key), 'r');
    try {
      let position = range?.start ?? 0;
      const end = range ? range.end + 1 : (await file.stat()).size;
      const size = Math.max(1, Math.min(READ_CHUNK, end - position));
      const buffers: Buffer[] = [];
      let writing: Promise<void> = Promise.resolve();
      for (let k = 0; position < end; k ^= 1) {
        const buffer = (buffers[k] ??= Buffer.allocUnsafeSlow(size));
        const { bytesRead } = await file.read(buffer, 0, Math.min(size, end - position), position);
        if (bytesRead === 0) throw new Error(`Content of ${key} ends before byte ${end}`);
        position += bytesRead;
        await writing;
        writing = writeChunk(out, buffer.subarray(0, bytesRead));
      }
      await writing;
    } finally {
      await file.close();
    }
  }

  /** A second name for the same content (COPY). */
  async link(key: string): Promise<string> {
    const copy = this.newKey();
    await fsp.mkdir(path.dirname(this.pathOf(copy)), { recursive: true });
    await fsp.link(this.pathOf(key), this.pathOf(copy));
    return copy;
  }

  async remove(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => fsp.rm(this.pathOf(key), { force: true })));
  }

  async emptyBlob(): Promise<string> {
    const key = this.newKey();
    await fsp.mkdir(path.dirname(this.pathOf(key)), { recursive: true });
    await fsp.writeFile(this.pathOf(key), '');
    return key;
  }

  private async place(temp: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    try {
      await fsp.rename(temp, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(temp, target);
    }
  }
}
