import path from 'node:path';
import { z } from 'zod';

/** Parse environment variables through a zod schema; the process stops with every problem listed. */
export function loadConfig<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv = process.env): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const dataDir = z
  .string()
  .default('./data')
  .transform((dir) => path.resolve(dir));

export const optionalUrl = z.url().optional();

/** `http://localhost:8081/` → `http://localhost:8081` (base URLs are kept without a trailing slash). */
export function trimBaseUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
