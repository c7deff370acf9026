import type { CloudServices } from '../services.ts';
import { TermsRepository } from './repository.ts';
import { TermsService } from './service.ts';

export function registerTermsOfService(services: CloudServices): void {
  services.terms = new TermsService(new TermsRepository(services.db), services.settings);
}
