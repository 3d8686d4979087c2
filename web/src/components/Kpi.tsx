import type { ReactNode } from "react";

/** A headline figure. `testId` lets the browser test compare the shown text with the API's value. */
export function Kpi({ label, value, testId, sub, onClick }: { label: string; value: string; testId: string; sub?: string; onClick?: () => void }) {
  return (
    <div
      className={`kpi${onClick ? ' kpi-click' : ''}`}
      data-testid={testId}
      onClick={onClick}
      role={onClick ? 'button' : undefined}
      tabIndex={onClick ? 0 : undefined}
      onKeyDown={onClick ? (e) => (e.key === 'Enter' || e.key === ' ') && onClick() : undefined}
    >
      <div className="kpi-label">{label}</div>
      <div className="kpi-value" data-testid={`${testId}-value`}>
        {value}
      </div>
      {sub && <div className="kpi-sub">{sub}</div>}
    </div>
  );
}

export function KpiRow({ children }: { children: ReactNode }) {
  return <div className="kpi-row">{children}</div>;
}
