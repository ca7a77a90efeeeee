import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChangePassphraseOutcome } from '../../app/session-controller';
import { useSessionController } from '../../app/session-context';
import { useAppState } from '../../app/shell-context';
import { passphraseProblemKey, type PassphraseProblem } from './passphrase-policy';
import { PassphraseField } from './PassphraseField';
import { StrengthMeter } from './StrengthMeter';
import { usePassphraseChoice } from './use-passphrase-choice';

const outcomeKey: Readonly<Record<Exclude<ChangePassphraseOutcome, 'changed'>, string>> = {
  'wrong-passphrase': 'changePassphrase.error.wrong',
  throttled: 'unlock.error.throttled',
  'sign-in-required': 'unlock.error.signInRequired',
  failed: 'changePassphrase.error.failed',
};

/**
 * A new unlock passphrase while the records are open: the current one is asked again (main counts
 * it as an unlock attempt), the new one meets the same rules as on the first run. Only the
 * replica's key is re-wrapped; nothing is re-encrypted and nothing leaves the laptop.
 */
export function ChangePassphraseScreen() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const language = useAppState((s) => s.language);
  const minLength = useAppState((s) => s.passphraseMinLength);
  const choice = usePassphraseChoice(language, minLength);
  const [current, setCurrent] = useState('');
  const [judged, setJudged] = useState<{ problem: PassphraseProblem | null } | null>(null);
  const [state, setState] = useState<{ busy: boolean; outcome: ChangePassphraseOutcome | null }>({ busy: false, outcome: null });
  const problem = judged !== null ? judged.problem : null;
  const edited = (set: (value: string) => void) => (value: string) => {
    setJudged(null);
    setState({ busy: false, outcome: null });
    set(value);
  };

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (state.busy || current === '') return;
    void choice.verdict().then(async (verdict) => {
      setJudged({ problem: verdict });
      if (verdict !== null) return;
      setState({ busy: true, outcome: null });
      const outcome = await controller.changePassphrase(current, choice.passphrase);
      if (outcome === 'changed') {
        setCurrent('');
        choice.setPassphrase('');
        choice.setConfirmation('');
        setJudged(null);
      }
      setState({ busy: false, outcome });
    });
  };

  return (
    <section className="gate" aria-labelledby="change-passphrase-title">
      <h1 id="change-passphrase-title">{t('changePassphrase.title')}</h1>
      <p>{t('changePassphrase.intro')}</p>
      <p id="change-passphrase-rules" className="hint">
        {t('passphrase.rules', { length: minLength })}
      </p>
      <form onSubmit={submit} noValidate>
        <PassphraseField label={t('changePassphrase.current')} value={current} onChange={edited(setCurrent)} autoComplete="current-password" autoFocus />
        <PassphraseField
          label={t('changePassphrase.new')}
          value={choice.passphrase}
          onChange={edited(choice.setPassphrase)}
          autoComplete="new-password"
          describedBy="change-passphrase-rules change-passphrase-strength"
          invalid={problem === 'too-short' || problem === 'too-weak'}
        />
        <StrengthMeter id="change-passphrase-strength" estimate={choice.estimate} empty={choice.passphrase === ''} />
        <PassphraseField
          label={t('changePassphrase.confirm')}
          value={choice.confirmation}
          onChange={edited(choice.setConfirmation)}
          autoComplete="new-password"
          describedBy={problem !== null ? 'change-passphrase-problem' : undefined}
          invalid={problem === 'mismatch' || problem === 'missing-confirmation'}
        />
        {problem !== null && (
          <p className="alert" role="alert" id="change-passphrase-problem">
            {t(passphraseProblemKey[problem])}
          </p>
        )}
        {state.outcome !== null && state.outcome !== 'changed' && (
          <p className="alert" role="alert">
            {t(outcomeKey[state.outcome])}
          </p>
        )}
        {state.outcome === 'changed' && (
          <p className="notice" role="status">
            {t('changePassphrase.done')}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={state.busy}>
          {state.busy ? t('changePassphrase.busy') : t('changePassphrase.submit')}
        </button>
      </form>
    </section>
  );
}
