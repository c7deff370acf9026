// Vitest set-up for a web UI under jsdom: import it from the UI's own setup file.
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// jsdom lacks a few browser APIs Primer's overlays use.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as unknown as typeof ResizeObserver;

afterEach(() => cleanup());

// Primer renders slowly in jsdom on a busy machine; wait for what the user would see, up to 5 s.
configure({ asyncUtilTimeout: 5000 });

window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener() {},
  removeListener() {},
  addEventListener() {},
  removeEventListener() {},
  dispatchEvent: () => false,
})) as typeof window.matchMedia;

// jsdom has no popover API; Primer's tooltips would load a polyfill that needs constructable stylesheets.
if (!('popover' in HTMLElement.prototype)) {
  Object.defineProperty(HTMLElement.prototype, 'popover', {
    configurable: true,
    get(this: HTMLElement) {
      return this.getAttribute('popover');
    },
    set(this: HTMLElement, value: string) {
      this.setAttribute('popover', value);
    },
  });
  Object.assign(HTMLElement.prototype, { showPopover() {}, hidePopover() {}, togglePopover: () => false });
}
