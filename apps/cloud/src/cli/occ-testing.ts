import { buildOcc } from './occ.ts';
import type { TestCloud } from '../testing.ts';

/**
 * Point `occ` (which reads its config from the environment) at a test Cloud's database, and run
 * commands in-process returning what they printed. Call `restore()` in `after`.
 */
export function occAgainst(cloud: TestCloud): { occ(...args: string[]): Promise<string>; restore(): void } {
  const saved = { ...process.env };
  process.env.DATA_DIR = cloud.database.dataDir;
  if (cloud.database.url) process.env.CLOUD_DATABASE_URL = cloud.database.url;
  else delete process.env.CLOUD_DATABASE_URL;
  return {
    async occ(...args) {
      const lines: string[] = [];
      const log = console.log;
      console.log = (...parts: unknown[]) => void lines.push(parts.join(' '));
      try {
        await buildOcc().parseAsync(['node', 'occ', ...args]);
      } finally {
        console.log = log;
      }
      return lines.join('\n');
    },
    restore() {
      process.env = saved;
    },
  };
}
