import { describe, expect, it } from 'vitest';
import { readChosenFile, safeFileName } from '../../../../../renderer/features/coordination/attachments';

describe('a file attached to a message', () => {
  it('is read as FHIR Attachment data (base64) only when it fits IT’s limit; 0 forbids any', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256);
    const file = new File([bytes], 'bilan sanguin.pdf', { type: 'application/pdf' });
    const chosen = await readChosenFile(file, 100_000);
    if (typeof chosen === 'string') throw new Error(chosen);
    expect(chosen).toMatchObject({ contentType: 'application/pdf', title: 'bilan sanguin.pdf', size: 70_000 });
    expect(Buffer.from(chosen.data, 'base64').equals(Buffer.from(bytes))).toBe(true);
    expect(await readChosenFile(file, 69_999)).toBe('too-large');
    expect(await readChosenFile(file, 0)).toBe('forbidden');
    expect(await readChosenFile(new File(['x'], 'note'), 10)).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it('is saved under a name with no path, no control or right-to-left override character and no leading dot', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('C:\\Users\\x\\rapport.pdf')).toBe('C_Users_x_rapport.pdf');
    expect(safeFileName('a\u0000b\u202egpj.exe')).toBe('a_b_gpj.exe.txt');
    expect(safeFileName('...')).toBe('piece-jointe');
    expect(safeFileName('x'.repeat(300))).toHaveLength(120);
    expect(safeFileName('ordonnance.pdf.exe')).toBe('ordonnance.pdf.exe.txt');
    expect(safeFileName('lettre.pdf. . ')).toBe('lettre.pdf');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
  });
});
