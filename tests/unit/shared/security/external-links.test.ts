import { describe, expect, it } from 'vitest';
import { decideExternalLink } from '../../../../shared/security/external-links';

const allowed = ['https://www.has-sante.fr', 'https://loinc.org'];

describe('decideExternalLink', () => {
  it('opens an https link whose exact origin is allowlisted', () => {
    expect(decideExternalLink('https://loinc.org/8480-6/', allowed)).toEqual({ open: true, url: 'https://loinc.org/8480-6/' });
  });

  it('refuses look-alike hosts, other ports, credentials and other schemes', () => {
    const cases: Array<[string, string]> = [
      ['https://loinc.org.evil.example/', 'origin-not-allowed'],
      ['https://evil.example/https://loinc.org', 'origin-not-allowed'],
      ['https://loinc.org:8443/', 'origin-not-allowed'],
      ['https://user:pw@loinc.org/', 'origin-not-allowed'],
      ['http://loinc.org/', 'not-https'],
      ['javascript:alert(1)', 'not-https'],
      ['data:text/html,<script>1</script>', 'not-https'],
      ['file:///etc/passwd', 'not-https'],
      ['not a url', 'unparsable'],
    ];
    for (const [url, reason] of cases) expect(decideExternalLink(url, allowed), url).toEqual({ open: false, reason });
  });
});
