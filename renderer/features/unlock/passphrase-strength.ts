import type { Language } from '../../../shared/ipc/contract';
import type { StrengthScore } from './passphrase-policy';

/**
 * zxcvbn-ts with the common, French and English dictionaries, loaded on first use (≈ 1 MB of word
 * lists, needed only on the first-run screen) so the workspace's start is not slowed by it.
 */
export type StrengthEstimate = Readonly<{ score: StrengthScore; warning: string | null; suggestions: readonly string[] }>;
export type StrengthEstimator = (passphrase: string, context: readonly string[]) => StrengthEstimate;

const loaded = new Map<Language, Promise<StrengthEstimator>>();

async function load(language: Language): Promise<StrengthEstimator> {
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
    return {
      score: result.score,
      warning: result.feedback.warning ?? null,
      suggestions: result.feedback.suggestions,
    };
  };
}

export function strengthEstimator(language: Language): Promise<StrengthEstimator> {
  let estimator = loaded.get(language);
  if (!estimator) {
    estimator = load(language);
    loaded.set(language, estimator);
  }
  return estimator;
}
