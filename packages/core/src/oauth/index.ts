export * from './types.ts';
export * from './pkce.ts';
export * from './provider.ts';
export * from './wire.ts';
export * from './memory-store.ts';
export * from './sql-store.ts';
