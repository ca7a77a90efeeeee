import { describe, expect, it } from 'vitest';
import { appEntryUrl, isAppUrl } from '../../../../electron/security/app-origin';

describe('isAppUrl', () => {
  it('accepts our scheme and host', () => {
    expect(isAppUrl(appEntryUrl)).toBe(true);
    expect(isAppUrl('relais://app/assets/index.js')).toBe(true);
  });

  it('refuses look-alikes that a prefix or substring test would let through', () => {
    for (const url of [
      'relais://app.evil.example/',
      'relais://apps/',
      'relais://evil@app/',
      'relais://app:1/',
      'https://app/',
      'file:///relais://app/',
      'javascript:relais://app/',
      'not a url',
      '',
    ]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
