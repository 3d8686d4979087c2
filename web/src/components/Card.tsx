import type { ReactNode } from 'react';

export function Card({ title, children, hint, testId, wide }: { title: string; children: ReactNode; hint?: string; testId?: string; wide?: boolean }) {
  return (
    <section className={`card${wide ? ' card-wide' : ''}`} data-testid={testId}>
      <div className="card-head">
        <h3>{title}</h3>
        {hint && <span className="muted small">{hint}</span>}
      </div>
      {children}
    </section>
  );
}

export function PageHead({ title, intro, children }: { title: string; intro: string; children?: ReactNode }) {
  return (
    <header className="page-head">
      <div>
        <h1 data-testid="page-title">{title}</h1>
        <p className="muted">{intro}</p>
      </div>
      {children && <div className="page-tools">{children}</div>}
    </header>
  );
}
