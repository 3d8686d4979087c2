import type { AuditLog, Principal, SecurityKeys, SessionManager } from '../security/index.js';
import type { Store } from '../store/store.js';
import type { ServerConfig } from './config.js';

/** What every handler can use; built once per app by createApp. */
export interface Services {
  readonly store: Store;
  readonly config: ServerConfig;
  readonly keys: SecurityKeys;
  readonly clock: () => Date;
  readonly audit: AuditLog;
  readonly sessions: SessionManager;
  /** lazily loaded engine state (compiled rules, scheme tables, policies), keyed by engine */
  readonly cache: Map<string, Promise<unknown>>;
}

export type AppEnv = { Variables: { principal?: Principal; services: Services } };
