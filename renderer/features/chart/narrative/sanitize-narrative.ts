import createDOMPurify, { type DOMPurify } from 'dompurify';
import { decideExternalLink } from '../../../../shared/security/external-links';
import { displayText } from '../../../../shared/fhir/fhir-text';

/**
 * FHIR narrative from the HIE, made safe to display. R4 §2.6.2.1 (Narrative) limits the XHTML to a
 * basic subset: no script, no event handlers, no forms, no base, no frames or objects, images only
 * from the resource itself. We keep that subset and less:
 *   - elements: the FHIR list below; anything else goes (script, style, svg, math, iframe, object,
 *     embed, form… with their content);
 *   - attributes: no event handler, no style (the frame's CSP would refuse inline CSS anyway, and CSS
 *     url() is a tracking beacon), no class or id, no href;
 *   - links: never clickable inside the frame; each is returned to be listed outside it, where only
 *     an allowlisted https origin can be opened, through the host (system browser);
 *   - images: only data:image/(png|jpeg|gif|webp) (the frame's CSP allows data: images only).
 * The result is rendered in a sandboxed frame with its own CSP (narrative-document.ts).
 */
export type NarrativeLink = Readonly<{ text: string; url: string; allowed: boolean }>;

export type SanitizedNarrative = Readonly<{ html: string; links: readonly NarrativeLink[] }>;

/** XHTML elements FHIR narrative allows (R4 §2.6.2.1, the fhir-xhtml schema). */
export const narrativeTags: readonly string[] = [
  'a', 'abbr', 'acronym', 'b', 'big', 'blockquote', 'br', 'caption', 'cite', 'code', 'col', 'colgroup', 'dd', 'dfn', 'div',
  'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'li', 'ol', 'p', 'pre', 'q', 'samp', 'small',
  'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'ul', 'var',
];

export const narrativeAttributes: readonly string[] = ['title', 'lang', 'dir', 'colspan', 'rowspan', 'scope', 'headers', 'abbr', 'alt', 'src', 'span', 'align', 'valign'];

/** Elements removed with everything inside them (their text is code or UI, not clinical content). */
const dropWithContent = ['script', 'style', 'svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed', 'form', 'select', 'textarea', 'button', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base', 'audio', 'video'];

const dataImage = /^data:image\/(?:png|jpeg|gif|webp);base64,[a-z0-9+/=\s]+$/i;

export type NarrativeSanitizer = (xhtml: string) => SanitizedNarrative;

/** One DOMPurify instance on the given window, configured for FHIR narrative. */
export function createNarrativeSanitizer(target: Window & typeof globalThis, allowedOrigins: readonly string[]): NarrativeSanitizer {
  const purify: DOMPurify = createDOMPurify(target);
  let links: NarrativeLink[] = [];
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    if (data.attrName === 'href' || data.attrName === 'xlink:href') {
      const url = data.attrValue.trim();
      if (node.nodeName.toLowerCase() === 'a' && url !== '') {
        const decision = decideExternalLink(url, allowedOrigins);
        links.push({ text: displayText(node.textContent, 200), url: decision.open ? decision.url : displayText(url, 300), allowed: decision.open });
      }
      data.keepAttr = false;
      return;
    }
    if (data.attrName === 'src' && !(node.nodeName.toLowerCase() === 'img' && dataImage.test(data.attrValue))) data.keepAttr = false;
  });
  return (xhtml) => {
    links = [];
    const html = purify.sanitize(xhtml, {
      ALLOWED_TAGS: [...narrativeTags],
      ALLOWED_ATTR: [...narrativeAttributes],
      FORBID_ATTR: ['style', 'class', 'id', 'href', 'xlink:href', 'action', 'formaction', 'srcset', 'background'],
      FORBID_CONTENTS: dropWithContent,
      ALLOW_DATA_ATTR: false,
      ALLOW_ARIA_ATTR: false,
      ALLOW_UNKNOWN_PROTOCOLS: false,
      SAFE_FOR_TEMPLATES: false,
      WHOLE_DOCUMENT: false,
      RETURN_TRUSTED_TYPE: false,
    });
    const found = links;
    links = [];
    return { html, links: found };
  };
}
