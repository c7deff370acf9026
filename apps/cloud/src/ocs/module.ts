import type { CloudServices } from '../services.ts';
import { LoginFlowRepository } from '../login-flow/repository.ts';
import { LoginFlowService } from '../login-flow/service.ts';
import { ProvisioningService } from '../provisioning/service.ts';
import { homeStorage } from '../files/service.ts';
import { CapabilityRegistry, registerCoreCapabilities } from './capabilities.ts';

/**
 * Builds the OCS-side services: the capability registry (before other modules register their keys),
 * the provisioning rules and login flow v2.
 */
export function registerOcsServices(services: CloudServices): void {
  services.capabilities = new CapabilityRegistry();
  registerCoreCapabilities(services.capabilities);
  services.provisioning = new ProvisioningService(services.users, services.settings, services.auth, services.config.filesDir);
  // Quota figures come from the home storage's root (folders hold the recursive size); the files
  // service is built after this, so it is looked up on each call.
  services.provisioning.setUsageProvider(async (userId) => (await services.files.ensureRoot(homeStorage(userId))).size);
  services.loginFlow = new LoginFlowService(new LoginFlowRepository(services.db), services.auth, services.secrets);
}
