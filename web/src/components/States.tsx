import type { ReactNode } from 'react';
import type { Loaded } from '../api';
import { useI18n } from '../i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="state state-loading" data-testid="loading">
      <span className="spinner" aria-hidden /> {t('loading')}
    </div>
  );
}

export function NotAvailable({ missing }: { missing: string[] }) {
  const { t } = useI18n();
  return (
    <div className="state state-unavailable" data-testid="not-available" role="status">
      <div className="state-title">{t('notAvailableTitle')}</div>
      <p>{t('notAvailableBody')}</p>
      {missing.length > 0 && (
        <p className="muted">
          {t('missingRoutes')}: <code>{missing.join(', ')}</code>
        </p>
      )}
    </div>
  );
}

export function ErrorBox({ error, onRetry }: { error: Error; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div className="state state-error" data-testid="error" role="alert">
      <div className="state-title">{t('error')}</div>
      <p>{error.message}</p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}

/** Render a `Loaded` value: loading / not available / error, or the children with the data. */
export function LoadedView<T>({
  value,
  reload,
  children,
}: {
  value: Loaded<T>;
  reload?: () => void;
  children: (data: T) => ReactNode;
}) {
  switch (value.state) {
    case 'loading':
      return <Loading />;
    case 'unavailable':
      return <NotAvailable missing={value.missing} />;
    case 'error':
      return <ErrorBox error={value.error} onRetry={reload} />;
    case 'ok':
      return <>{children(value.data)}</>;
  }
}
