import { defaultExternalOrigins } from '../../../shared/security/external-links';
import { createNarrativeSanitizer } from '../../../renderer/features/chart/narrative/sanitize-narrative';
import { expose } from '../../browser/expose';

/** Page side of narrative.spec.ts: the app's narrative sanitizer, on Chromium's own DOM. */
const sanitize = createNarrativeSanitizer(window, defaultExternalOrigins);

const api = {
  sanitize: (xhtml: string) => sanitize(xhtml),
  /** What a parser sees in the output: every element name and every attribute. */
  inventory(html: string): { tags: string[]; attributes: string[] } {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    const elements = [...doc.body.querySelectorAll('*')];
    return {
      tags: [...new Set(elements.map((e) => e.localName))].sort(),
      attributes: [...new Set(elements.flatMap((e) => [...e.attributes].map((a) => `${a.name}=${a.value}`)))].sort(),
    };
  },
};

export type NarrativeApi = typeof api;
expose(api);
