import { lazy, Suspense } from 'react';
import { AuthProvider, ROLE_LABELS, useAuth } from './auth';
import { useInstitutions } from './components/InstitutionPicker';
import { Loading } from './components/States';
import { I18nProvider, useI18n } from './i18n';
import { LoginPage } from './pages/Login';
import { pagesFor } from './pages';
import { navigate, useLocation } from './router';

// Pages load lazily: the login screen needs neither ECharts nor the dashboards.
const PAGE_COMPONENTS = {
  'fund-map': lazy(() => import('./pages/FundMap')),
  drg: lazy(() => import('./pages/DrgBoard')),
  cost: lazy(() => import('./pages/CostCockpit')),
  audit: lazy(() => import('./pages/AuditQueue')),
  precheck: lazy(() => import('./pages/PreCheck')),
  settle: lazy(() => import('./pages/SettlementSim')),
  quality: lazy(() => import('./pages/DataQuality')),
} as const;
type PageId = keyof typeof PAGE_COMPONENTS;

function Shell() {
  const { user, checking, logout } = useAuth();
  const { t, lang, setLang, pick } = useI18n();
  const loc = useLocation();

  const langToggle = (
    <button type="button" className="btn btn-ghost" data-testid="lang-toggle" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('switchLang')}
    </button>
  );

  if (checking) return <Loading />;
  if (!user) return <LoginPage langToggle={langToggle} />;

  const allowed = pagesFor(user.role);
  const current = allowed.find((p) => p.id === loc.page) ?? allowed[0];
  const Page = current ? PAGE_COMPONENTS[current.id as PageId] : undefined;

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark">✚</span>
          <span>{t('appShort')}</span>
        </div>
        <nav>
          {allowed.map((p) => (
            <a
              key={p.id}
              href={`#/${p.id}`}
              className={`nav-item${p.id === current?.id ? ' active' : ''}`}
              data-testid={`nav-${p.id}`}
              onClick={(e) => {
                e.preventDefault();
                navigate(p.id);
              }}
            >
              <span className="nav-icon" aria-hidden>
                {p.icon}
              </span>
              {t(p.nav)}
            </a>
          ))}
        </nav>
      </aside>
      <div className="main">
        <header className="topbar">
          <div className="topbar-title">{t('appName')}</div>
          <div className="topbar-user">
            <span data-testid="user-name">{user.displayName || user.username}</span>
            <span className="badge" data-testid="user-role">
              {pick(user.roleLabel ?? ROLE_LABELS[user.role])}
            </span>
            {user.institutionId && <InstitutionBadge id={user.institutionId} />}
            {langToggle}
            <button type="button" className="btn btn-ghost" data-testid="logout" onClick={() => void logout()}>
              {t('logout')}
            </button>
          </div>
        </header>
        <main className="content" data-page={current?.id ?? ''}>
          <Suspense fallback={<Loading />}>{Page ? <Page key={current?.id} /> : <div className="state">{t('noData')}</div>}</Suspense>
        </main>
      </div>
    </div>
  );
}

function InstitutionBadge({ id }: { id: string }) {
  const rows = useInstitutions();
  return (
    <span className="muted small" data-testid="user-institution">
      {rows.find((r) => r.id === id)?.name ?? id}
    </span>
  );
}

export function App() {
  return (
    <I18nProvider>
      <AuthProvider>
        <Shell />
      </AuthProvider>
    </I18nProvider>
  );
}
