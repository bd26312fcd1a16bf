import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// jsdom has no layout, hence no ResizeObserver: a stand-in that never reports a size, so charts
// and the virtualised table keep their initial dimensions (the browser tests run the real thing).
if (typeof globalThis.ResizeObserver === 'undefined') {
  globalThis.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  };
}

// Nor any element heights: the readings table's scroller reports the height its CSS gives it
// (24rem), so the virtualiser has a window to fill.
const clientHeight = Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight');
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('readings-scroll') ? 384 : (clientHeight?.get?.call(this) ?? 0);
  },
});
