import type { Language } from '../../../shared/ipc/contract';
import type { StrengthEstimate } from './passphrase-strength';

/**
 * zxcvbn-ts with the common, French and English dictionaries, loaded on first use (≈ 1 MB of word
 * lists, needed only on the passphrase screens). Runs where it is imported: in the strength
 * worker (passphrase-strength.ts says why not on the page).
 */
export type SyncStrengthEstimator = (passphrase: string, context: readonly string[]) => StrengthEstimate;

const loaded = new Map<Language, Promise<SyncStrengthEstimator>>();

async function load(language: Language): Promise<SyncStrengthEstimator> {
  const [core, common, fr, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-fr'),
    import('@zxcvbn-ts/language-en'),
  ]);
  const factory = new core.ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...fr.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: language === 'fr' ? fr.translations : en.translations,
    useLevenshteinDistance: true,
  });
  return (passphrase, context) => {
    const result = factory.check(passphrase, [...context]);
    return { score: result.score, warning: result.feedback.warning ?? null, suggestions: result.feedback.suggestions };
  };
}

export function estimatorFor(language: Language): Promise<SyncStrengthEstimator> {
  let estimator = loaded.get(language);
  if (!estimator) {
    estimator = load(language);
    // A failed load is tried again at the next check.
    estimator.catch(() => loaded.delete(language));
    loaded.set(language, estimator);
  }
  return estimator;
}
