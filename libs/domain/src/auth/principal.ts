/** People's roles; a user may hold several. */
export const ROLES = ['analyst', 'oncall', 'org-admin', 'platform-admin'] as const;
export type Role = (typeof ROLES)[number];

/** What a caller may do. Users get scopes from their roles; API keys are issued with a subset. */
export const SCOPES = [
  'incidents:read',
  'incidents:write',
  'alerts:read',
  'alerts:ack',
  'users:manage',
  'keys:manage',
  'communities:manage',
  'audit:read',
  'organizations:manage',
  /** What the organization discloses to partners of matches with its restricted incidents. */
  'sharing:manage',
  /** Notification rules, on-call schedules, escalation policies, webhook endpoints; acknowledging rules' alerts. */
  'oncall:manage',
  /** The organization's webhook endpoints, their delivery log and replays. */
  'webhooks:manage',
  /** The organization's TAXII feeds: partners' collections pulled into its incidents. */
  'feeds:manage',
] as const;
export type Scope = (typeof SCOPES)[number];

/** Scopes an API key may carry: machine clients push and read incidents and listen to alerts. */
export const API_KEY_SCOPES = ['incidents:read', 'incidents:write', 'alerts:read'] as const satisfies readonly Scope[];
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  analyst: ['incidents:read', 'incidents:write', 'alerts:read'],
  oncall: ['incidents:read', 'incidents:write', 'alerts:read', 'alerts:ack'],
  // Managing the organization does not by itself open its incidents: give `analyst` too for that.
  'org-admin': [
    'users:manage',
    'keys:manage',
    'communities:manage',
    'audit:read',
    'sharing:manage',
    'oncall:manage',
    'webhooks:manage',
    'feeds:manage',
  ],
  // Running the platform grants no right to read other organizations' data.
  'platform-admin': ['organizations:manage', 'communities:manage'],
};

export function scopesOf(roles: readonly Role[]): Scope[] {
  return [...new Set(roles.flatMap((role) => ROLE_SCOPES[role]))];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who is calling: a person (user) or a machine client (API key), always within one organization. */
export interface Principal {
  kind: 'user' | 'key';
  /** The user id or the API key id. */
  id: string;
  orgId: string;
  scopes: readonly Scope[];
  roles: readonly Role[];
  /** People only: the login session, and when the access token presented expires. */
  session?: { id: string; expiresAt: Date };
  /** API keys only: when the key expires, if it does. */
  keyExpiresAt?: Date;
}

export function hasScope(principal: Pick<Principal, 'scopes'>, scope: Scope): boolean {
  return principal.scopes.includes(scope);
}
