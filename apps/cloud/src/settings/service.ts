import { randomToken } from '@tandem/core';
import type { SettingsRepository } from './repository.ts';

/** Apps that ship with Cloud and whether they start enabled. */
export const BUILTIN_APPS: Record<string, { name: string; category: string; defaultEnabled: boolean }> = {
  files: { name: 'Files', category: 'files', defaultEnabled: true },
  dav: { name: 'WebDAV', category: 'files', defaultEnabled: true },
  oauth2: { name: 'OAuth 2.0', category: 'security', defaultEnabled: true },
  groupfolders: { name: 'Team folders', category: 'files', defaultEnabled: true },
  files_trashbin: { name: 'Deleted files', category: 'files', defaultEnabled: true },
  integration_openproject: { name: 'OpenProject Integration', category: 'integration', defaultEnabled: false },
  terms_of_service: { name: 'Terms of service', category: 'security', defaultEnabled: false },
};

/** Typed access to system values and app switches. */
export class SettingsService {
  constructor(readonly repository: SettingsRepository) {}

  /** Nextcloud's `instanceid`: "oc" + 10 lowercase letters/digits, made once; part of every `oc:id`. */
  async instanceId(): Promise<string> {
    const existing = await this.repository.getSystem('instanceid');
    if (existing) return existing;
    const id = `oc${randomToken(10, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    await this.repository.setSystem('instanceid', id);
    return (await this.repository.getSystem('instanceid')) ?? id;
  }

  async systemFlag(key: string): Promise<boolean> {
    const value = await this.repository.getSystem(key);
    return value === '1' || value === 'true';
  }

  async isAppEnabled(app: string): Promise<boolean> {
    const value = await this.repository.getApp(app, 'enabled');
    if (value === undefined) return BUILTIN_APPS[app]?.defaultEnabled ?? false;
    return value === 'yes';
  }

  async setAppEnabled(app: string, enabled: boolean): Promise<void> {
    await this.repository.setApp(app, 'enabled', enabled ? 'yes' : 'no');
  }
}
