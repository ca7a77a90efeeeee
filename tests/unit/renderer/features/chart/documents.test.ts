import { describe, expect, it } from 'vitest';
import { decodeBase64Text, documentItem } from '../../../../../renderer/features/chart/documents';
import { narrativeCsp, narrativeDocument } from '../../../../../renderer/features/chart/narrative/narrative-document';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('documents', () => {
  it('decodes a UTF-8 attachment in either base64 alphabet, and refuses what is not UTF-8', () => {
    expect(decodeBase64Text(b64('Synthèse médicale'))).toBe('Synthèse médicale');
    expect(decodeBase64Text(Buffer.from('é?é').toString('base64url'))).toBe('é?é');
    expect(decodeBase64Text(Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'))).toBeNull();
  });

  it('shows an XHTML attachment as the document, a text/plain one as plain text, and never fetches an external one', () => {
    const doc = documentItem({
      ref: 'DocumentReference/d',
      syncState: 'synced',
      resource: {
        resourceType: 'DocumentReference',
        text: { div: '<div>résumé</div>' },
        content: [
          { attachment: { contentType: 'application/xhtml+xml', data: b64('<html><body><p>Courrier</p></body></html>'), title: 'note.html' } },
          { attachment: { contentType: 'text/plain; charset=utf-8', data: b64('Vu à domicile.') } },
          { attachment: { contentType: 'image/png', url: 'https://attacker.example/scan.png' } },
        ],
      },
    });
    expect(doc.sections.map((s) => s.xhtml)).toEqual(['<html><body><p>Courrier</p></body></html>']);
    expect(doc.plainText).toBe('Vu à domicile.');
    expect(doc.externalUrls).toEqual(['https://attacker.example/scan.png']);
  });
});

describe('the narrative frame document', () => {
  it('has a CSP that allows no script, no network but its stylesheet, data: images, no base and no form', () => {
    const csp = narrativeCsp('http://127.0.0.1:4179/narrative.css');
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('style-src http://127.0.0.1:4179/narrative.css');
    expect(csp).toContain('img-src data:');
    expect(csp).toContain("base-uri 'none'");
    expect(csp).not.toMatch(/script-src|unsafe/);
  });

  it('puts the CSP first in the head and escapes what goes into attributes', () => {
    const html = narrativeDocument({ sanitizedHtml: '<p>ok</p>', stylesheetUrl: 'http://x/"><script>', language: 'fr"' });
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<body>'));
    expect(html).not.toContain('"><script>');
    expect(html).toContain('lang="fr&quot;"');
    expect(html).toContain('<body><p>ok</p></body>');
  });
});
