import { useEffect, useRef, useState } from 'react';
import type { Language } from '../../../shared/ipc/contract';
import { useSessionController } from '../../app/session-context';
import { passphraseProblem, type PassphraseProblem } from './passphrase-policy';
import { strengthEstimator, SupersededError, type StrengthEstimate } from './passphrase-strength';

/**
 * A new passphrase and its confirmation, with the strength measured against the clinician's and
 * the HIE's names. `verdict()` is what a submit asks: it waits for the measure of exactly what was
 * typed (the dictionaries load on first use), so a passphrase typed fast and sent with Enter is
 * judged on its strength, never refused as "too easy" because the meter had not caught up.
 */
export function usePassphraseChoice(language: Language, minLength: number) {
  const controller = useSessionController();
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [estimate, setEstimate] = useState<StrengthEstimate | null>(null);
  const context = useRef<Promise<string[]> | null>(null);
  context.current ??= controller.passphraseContext().catch(() => ['relais']);

  const measure = async (value: string): Promise<StrengthEstimate> => {
    const [estimateOf, words] = await Promise.all([strengthEstimator(language), context.current as Promise<string[]>]);
    return estimateOf(value, words);
  };

  useEffect(() => {
    let current = true;
    setEstimate(null);
    if (passphrase === '') return;
    // Measured in the strength worker; a text typed since replaces this one (superseded: nothing to show).
    measure(passphrase).then(
      (measured) => {
        if (current) setEstimate(measured);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [passphrase, language]);

  const verdict = async (): Promise<PassphraseProblem | null> => {
    let measured: StrengthEstimate | null = null;
    while (passphrase !== '' && measured === null) {
      try {
        measured = await measure(passphrase);
      } catch (error: unknown) {
        // Another text was asked for meanwhile (the meter's): ask again for exactly this one.
        if (!(error instanceof SupersededError)) throw error;
      }
    }
    return passphraseProblem(passphrase, confirmation, measured?.score ?? null, minLength);
  };

  return {
    passphrase,
    setPassphrase,
    confirmation,
    setConfirmation,
    estimate,
    /** What is wrong now, as the form shows it while typing (null score while measuring). */
    problem: passphraseProblem(passphrase, confirmation, estimate?.score ?? null, minLength),
    verdict,
  };
}
