import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, type Session } from './api/session';
import { LanguageSwitch } from './ui/language-switch';

export function LoginPage({ session }: { session: Session }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    session.login(email, password).catch((failure: unknown) => {
      const status = failure instanceof ApiError ? failure.status : 0;
      setError(status === 401 ? t('login.refused') : status === 429 ? t('login.locked') : t('login.unreachable'));
      setBusy(false);
    });
  };

  return (
    <main className="login">
      <header className="top">
        <span className="brand">{t('app.title')}</span>
        <LanguageSwitch />
      </header>
      <form onSubmit={submit} className="login-form">
        <h1>{t('login.title')}</h1>
        <label>
          <span>{t('login.email')}</span>
          <input
            name="email"
            type="email"
            dir="ltr"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          <span>{t('login.password')}</span>
          <input
            name="password"
            type="password"
            dir="ltr"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
