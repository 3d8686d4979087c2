import { useState, type FormEvent, type ReactNode } from 'react';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';

export function LoginPage({ langToggle }: { langToggle: ReactNode }) {
  const { login } = useAuth();
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username.trim(), password);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="login-screen">
      <div className="login-lang">{langToggle}</div>
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <div className="brand brand-login">
          <span className="brand-mark">✚</span>
          <span>{t('appName')}</span>
        </div>
        <h1>{t('loginTitle')}</h1>
        <p className="muted small">{t('loginHint')}</p>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} required data-testid="login-username" />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            data-testid="login-password"
          />
        </label>
        {error && (
          <div className="form-error" role="alert" data-testid="login-error">
            {t('loginFailed')}: {error}
          </div>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="login-submit">
          {busy ? t('loggingIn') : t('login')}
        </button>
      </form>
    </div>
  );
}
