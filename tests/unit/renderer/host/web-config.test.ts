import { describe, expect, it } from 'vitest';
describe('the web host identifier order', () => {
  it('reads the policy-shaped JSON given at build time, and ignores anything else', async () => {
    const { webIdentifierPriority } = await import('../../../../renderer/host/web-config');
    expect(webIdentifierPriority('[{"type":"MR","label":"IPP"}]')).toEqual([{ type: 'MR', label: 'IPP' }]);
    for (const bad of [undefined, '', 'not json', '[{"label":"no system nor type"}]', '[]', 42]) expect(webIdentifierPriority(bad)).toBeNull();
  });
});
