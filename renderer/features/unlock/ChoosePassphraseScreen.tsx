import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppState } from '../../app/shell-context';
import { useSession, useSessionController } from '../../app/session-context';
import { passphraseProblemKey, type PassphraseProblem } from './passphrase-policy';
import { PassphraseField } from './PassphraseField';
import { StrengthMeter } from './StrengthMeter';
import { usePassphraseChoice } from './use-passphrase-choice';

/** First run, after sign-in: the passphrase that, with this device's key, opens the records. */
export function ChoosePassphraseScreen() {
  const { t } = useTranslation();
  const controller = useSessionController();
  const language = useAppState((s) => s.language);
  const view = useSession((s) => s.view);
  const minLength = useAppState((s) => s.passphraseMinLength);
  const choice = usePassphraseChoice(language, minLength);
  const { passphrase, setPassphrase, confirmation, setConfirmation, estimate } = choice;
  const [submitted, setSubmitted] = useState(false);
  // The verdict of the last submit: it waits for the strength of what was typed, however fast.
  const [judged, setJudged] = useState<{ problem: PassphraseProblem | null } | null>(null);

  if (view.kind !== 'choose-passphrase') return null;
  const problem = judged !== null ? judged.problem : choice.problem;
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void choice.verdict().then((verdict) => {
      setSubmitted(true);
      setJudged({ problem: verdict });
      if (verdict === null) void controller.choosePassphrase(passphrase);
    });
  };
  return (
    <section className="gate" aria-labelledby="passphrase-title">
      <h1 id="passphrase-title">{t('passphrase.title')}</h1>
      <p>{t('passphrase.intro')}</p>
      <p id="passphrase-rules" className="hint">
        {t('passphrase.rules', { length: minLength })}
      </p>
      <form onSubmit={submit} noValidate>
        <PassphraseField
          label={t('passphrase.new')}
          value={passphrase}
          onChange={(value) => {
            setJudged(null);
            setPassphrase(value);
          }}
          autoComplete="new-password"
          describedBy="passphrase-rules passphrase-strength"
          autoFocus
          invalid={submitted && (problem === 'too-short' || problem === 'too-weak')}
        />
        <StrengthMeter id="passphrase-strength" estimate={estimate} empty={passphrase === ''} />
        <PassphraseField
          label={t('passphrase.confirm')}
          value={confirmation}
          onChange={(value) => {
            setJudged(null);
            setConfirmation(value);
          }}
          autoComplete="new-password"
          describedBy={submitted && problem !== null ? 'passphrase-problem' : undefined}
          invalid={submitted && (problem === 'mismatch' || problem === 'missing-confirmation')}
        />
        {submitted && problem !== null && (
          <p className="alert" role="alert" id="passphrase-problem">
            {t(passphraseProblemKey[problem])}
          </p>
        )}
        {view.errorKey !== null && (
          <p className="alert" role="alert">
            {t(view.errorKey)}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={view.busy}>
          {view.busy ? t('passphrase.busy') : t('passphrase.submit')}
        </button>
      </form>
    </section>
  );
}
