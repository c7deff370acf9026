import { errors } from '../errors.ts';
import type { SettingsService } from '../settings/service.ts';
import type { TermsRepository, TermsRow } from './repository.ts';

export const TOS_APP = 'terms_of_service';

/** Called after terms were written or signatures reset (the OpenProject integration re-signs for its user). */
export type TermsListener = () => Promise<void>;

/**
 * The terms_of_service app: admins write one text per language; a user has signed when they accepted
 * every current text. While the app is disabled nobody is asked.
 */
export class TermsService {
  private readonly listeners: TermsListener[] = [];

  constructor(
    private readonly repository: TermsRepository,
    private readonly settings: SettingsService,
  ) {}

  onChange(listener: TermsListener): void {
    this.listeners.push(listener);
  }

  private async changed(): Promise<void> {
    for (const listener of this.listeners) await listener();
  }

  enabled(): Promise<boolean> {
    return this.settings.isAppEnabled(TOS_APP);
  }

  list(): Promise<TermsRow[]> {
    return this.repository.list();
  }

  async save(languageCode: string, body: string): Promise<TermsRow> {
    const id = await this.repository.upsert(languageCode, body, Date.now());
    await this.changed();
    return (await this.repository.list()).find((t) => t.id === id)!;
  }

  async delete(id: number): Promise<void> {
    if (!(await this.repository.delete(id))) throw errors.tos_terms_not_found({ id });
  }

  async resetSignatures(): Promise<void> {
    await this.repository.resetSignatures();
    await this.changed();
  }

  /** Ids of current terms the user has not accepted. */
  async unsignedBy(userId: string): Promise<number[]> {
    const signed = new Set(await this.repository.signedBy(userId));
    return (await this.repository.list()).map((t) => t.id).filter((id) => !signed.has(id));
  }

  /** Has the user accepted everything they must? Always true while the app is off or no terms exist. */
  async hasSigned(userId: string): Promise<boolean> {
    if (!(await this.enabled())) return true;
    return (await this.unsignedBy(userId)).length === 0;
  }

  async sign(userId: string, termsId: number): Promise<void> {
    if (!(await this.repository.list()).some((t) => t.id === termsId)) throw errors.tos_terms_not_found({ id: termsId });
    await this.repository.sign([termsId], userId, Date.now());
  }

  /** Accept every current text for a user (the integration's `OpenProject` user); returns whether all are signed. */
  async signAll(userId: string): Promise<boolean> {
    await this.repository.sign(await this.unsignedBy(userId), userId, Date.now());
    return (await this.unsignedBy(userId)).length === 0;
  }
}
