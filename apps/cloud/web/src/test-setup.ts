import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom lacks a few browser APIs Primer's overlays use.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

afterEach(() => cleanup());
