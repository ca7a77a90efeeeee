/**
 * The document a sanitized narrative is shown in: the `srcdoc` of an `<iframe sandbox="">` (no
 * scripts, no same-origin, no forms, no popups, no top navigation). Its own CSP allows nothing but
 * the one narrative stylesheet and data: images; the app's CSP also applies (a srcdoc document
 * inherits its parent's policy), so inline CSS stays refused as well.
 */
export function narrativeCsp(stylesheetUrl: string): string {
  return ["default-src 'none'", `style-src ${stylesheetUrl}`, 'img-src data:', "base-uri 'none'", "form-action 'none'"].join('; ');
}

const escapeAttribute = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `sanitizedHtml` must come from the narrative sanitizer; nothing here escapes it. */
export function narrativeDocument(input: Readonly<{ sanitizedHtml: string; stylesheetUrl: string; language: string }>): string {
  const css = escapeAttribute(input.stylesheetUrl);
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeAttribute(input.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(narrativeCsp(input.stylesheetUrl))}">`,
    '<meta name="referrer" content="no-referrer">',
    `<link rel="stylesheet" href="${css}">`,
    '</head>',
    `<body>${input.sanitizedHtml}</body>`,
    '</html>',
  ].join('');
}
