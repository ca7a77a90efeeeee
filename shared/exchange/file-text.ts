/**
 * A document file's bytes as text: UTF-8 (with or without its BOM), UTF-16 when its BOM says so
 * (Excel's "Unicode text"), and otherwise Windows-1252, which French Excel still writes its CSV in
 * ("Glycémie" as one byte 0xE9): read as UTF-8 that header would not be found.
 */
export function decodeFileText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}
