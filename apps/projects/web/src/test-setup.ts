// The shared jsdom shims and clean-up (packages/web-kit).
import '@tandem/web-kit/test-setup.ts';
