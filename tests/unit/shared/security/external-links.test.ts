import { describe, expect, it } from 'vitest';
import { decideExternalLink, imagingViewerLink, isViewerTemplate, viewerOrigin } from '../../../../shared/security/external-links';

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

describe('the image viewer link of a study', () => {
  const template = 'https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}';
  const origins = ['https://pacs.example.org'];

  it('puts the study UID (bare or urn:oid) in the policy address', () => {
    expect(imagingViewerLink(template, '1.2.840.113619.2.55.3', origins)).toBe('https://pacs.example.org/viewer?StudyInstanceUIDs=1.2.840.113619.2.55.3');
    expect(imagingViewerLink(template, 'urn:oid:1.2.3.4', origins)).toBe('https://pacs.example.org/viewer?StudyInstanceUIDs=1.2.3.4');
    expect(viewerOrigin(template)).toBe('https://pacs.example.org');
  });

  it('makes no link for a hostile or malformed UID, no address, or an origin not allowed', () => {
    for (const uid of ['1.2.3&x=https://evil.example', '../../admin', '1.2.3#frag', '01.2', '1..2', '', ' 1.2', '1.2.3\n', `1.${'2'.repeat(70)}`, 'javascript:alert(1)']) {
      expect(imagingViewerLink(template, uid, origins), uid).toBeNull();
    }
    expect(imagingViewerLink(null, '1.2.3', origins)).toBeNull();
    expect(imagingViewerLink(template, null, origins)).toBeNull();
    expect(imagingViewerLink(template, '1.2.3', ['https://other.example.org'])).toBeNull();
  });

  it('takes only an https address with the study in its path or query, once', () => {
    expect(isViewerTemplate(template)).toBe(true);
    expect(isViewerTemplate('https://pacs.example.org/studies/{studyUid}/view')).toBe(true);
    for (const bad of ['http://pacs.example.org/?s={studyUid}', 'https://{studyUid}/x', 'https://pacs{studyUid}.example.org/', 'https://pacs.example.org/', 'https://a.example.org/{studyUid}{studyUid}', 'https://u:p@pacs.example.org/{studyUid}', 'not a url {studyUid}', 'https://{studyUid}0000/', `https://pacs.example.org/${'x'.repeat(2000)}{studyUid}`]) {
      expect(isViewerTemplate(bad), bad).toBe(false);
    }
  });
});
