/**
 * The largest document file Relais reads (bytes), and the most entries it takes from one: larger
 * is refused before parsing. Apart from document-parse.ts so that the page can check a file's size
 * without loading the converters.
 */
export const importLimits = Object.freeze({ maxBytes: 20 * 1024 * 1024, maxEntries: 20_000 });

/** The identifier system of an imported file's SHA-256 in its Provenance (the entity of role source). */
export const fileDigestSystem = 'https://relais.example.org/fhir/sid/file-sha256';
