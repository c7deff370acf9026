import type { UserRow } from '../users/repository.ts';

export interface CapabilityContext {
  /** The signed-in caller, or undefined for anonymous requests (which get a reduced set). */
  user: UserRow | undefined;
  /** Public base URL of this Cloud, for links inside capabilities. */
  baseUrl: string;
  /** Client address (the brute-force delay is per address). */
  ip: string;
}

/** Returns the value of one capability key, or undefined to leave the key out for this caller. */
export type CapabilityProvider = (context: CapabilityContext) => unknown;

/**
 * The `capabilities` object of `cloud/capabilities`: each module registers its own keys
 * (`services.capabilities.register('groupfolders', ctx => ctx.user ? {...} : undefined)`).
 */
export class CapabilityRegistry {
  private readonly providers = new Map<string, CapabilityProvider>();

  register(name: string, provider: CapabilityProvider): void {
    if (this.providers.has(name)) throw new Error(`Capability "${name}" is already registered`);
    this.providers.set(name, provider);
  }

  async collect(context: CapabilityContext): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      [...this.providers].map(async ([name, provider]) => [name, await provider(context)] as const),
    );
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined));
  }
}

/**
 * Cloud's own keys. Anonymous callers get `bruteforce` and `theming` only; signed-in ones also what
 * sync clients read: `core`, `files`, `dav.chunking` (no `bulkupload`: there is no bulk endpoint), `checksums`.
 */
export function registerCoreCapabilities(registry: CapabilityRegistry): void {
  registry.register('core', ({ user }) => (user ? { pollinterval: 60, 'webdav-root': 'remote.php/webdav' } : undefined));
  registry.register('bruteforce', () => ({ delay: 0, 'allow-listed': false }));
  registry.register('files', ({ user }) =>
    user ? { bigfilechunking: true, blacklisted_files: ['.htaccess'], undelete: true, versioning: false } : undefined,
  );
  registry.register('dav', ({ user }) => (user ? { chunking: '1.0' } : undefined));
  registry.register('checksums', ({ user }) => (user ? { supportedTypes: ['SHA1'], preferredUploadType: 'SHA1' } : undefined));
  registry.register('theming', ({ baseUrl }) => ({
    name: 'Tandem Cloud',
    productName: 'Tandem Cloud',
    url: baseUrl,
    slogan: 'Files for your projects',
    color: '#00679e',
    'color-text': '#ffffff',
    'color-element': '#00679e',
    'color-element-bright': '#00679e',
    'color-element-dark': '#00679e',
    logo: `${baseUrl}/favicon.ico`,
    background: '',
    'background-text': '#ffffff',
    'background-plain': true,
    'background-default': true,
    logoheader: `${baseUrl}/favicon.ico`,
    favicon: `${baseUrl}/favicon.ico`,
  }));
}
