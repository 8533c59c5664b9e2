// theme="inherit": which theme the host page shows (www/host-theme.js, pure part).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { themeFromHost } from '../../www/host-theme.js';

test('themeFromHost: the custom property, then data-theme, then mdBook classes, else null', () => {
  const cases = [
    [{}, null],
    [{ classes: ['light', 'sidebar-visible'] }, 'light'],
    [{ classes: ['rust'] }, 'light'],
    [{ classes: ['coal'] }, 'dark'],
    [{ classes: ['navy', 'sidebar-visible'] }, 'dark'],
    [{ classes: ['ayu'] }, 'dark'],
    [{ classes: ['js', 'sidebar-hidden'] }, null],
    [{ dataTheme: 'dark', classes: ['light'] }, 'dark'],
    [{ dataTheme: 'sepia', classes: ['coal'] }, 'dark'],
    [{ custom: ' dark ', dataTheme: 'light' }, 'dark'],
    [{ custom: 'LIGHT', classes: ['navy'] }, 'light'],
    [{ custom: 'blue', classes: ['rust'] }, 'light'],
  ];
  for (const [host, want] of cases) assert.equal(themeFromHost(host), want, JSON.stringify(host));
});
