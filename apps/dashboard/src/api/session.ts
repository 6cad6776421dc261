import type { ErrorBody, ErrorDetails, LoginReply, RefreshReply, SessionUser } from './types';

/** An API error answer (`{error: {code, message, details}}`), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The fields a 400 names, the statuses a 409 allows. */
    readonly details: ErrorDetails = {},
  ) {
    super(message);
  }
}

/** A request body sent as it is, `text/plain` (a file of lines), rather than as JSON. */
export class PlainText {
  constructor(readonly text: string) {}
}

async function send<T>(method: string, path: string, body?: unknown, token?: string | null): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const plain = body instanceof PlainText;
  if (body !== undefined) headers['Content-Type'] = plain ? 'text/plain; charset=utf-8' : 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : plain ? body.text : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as Partial<ErrorBody> | undefined)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? response.statusText,
      error?.details ?? {},
    );
  }
  return parsed as T;
}

/** Refresh this long before the access token expires, and retry a failed refresh this often. */
const REFRESH_MARGIN_SECONDS = 60;
const REFRESH_RETRY_MS = 15_000;

/**
 * The signed-in person. The access and refresh tokens live in this object only (never in storage a
 * script or another tab could read); the access token is renewed in the background before it
 * expires. A reload therefore asks to log in again.
 */
export class Session {
  private accessToken: string | null = null;
  private refreshToken: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private current: SessionUser | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly user = (): SessionUser | null => this.current;

  /** The access token to present now (the socket asks at every connection). */
  readonly token = (): string | null => this.accessToken;

  async login(email: string, password: string): Promise<void> {
    const reply = await send<LoginReply>('POST', '/api/v1/auth/login', { email, password });
    this.current = reply.user;
    this.accept(reply);
  }

  async logout(): Promise<void> {
    const refreshToken = this.refreshToken;
    this.end();
    if (refreshToken) await send<void>('POST', '/api/v1/auth/logout', { refreshToken }).catch(() => undefined);
  }

  /**
   * An authenticated call; one refresh and retry when the access token was refused. `body` is sent as
   * JSON, or as text when it is a `PlainText`.
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    try {
      return await send<T>(method, path, body, this.accessToken);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !(await this.refresh())) throw error;
      return send<T>(method, path, body, this.accessToken);
    }
  }

  /** Renews the pair; false (and signed out) when the session is over. */
  refresh(): Promise<boolean> {
    this.refreshing ??= this.renew().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async renew(): Promise<boolean> {
    const refreshToken = this.refreshToken;
    if (!refreshToken) return false;
    try {
      this.accept(await send<RefreshReply>('POST', '/api/v1/auth/refresh', { refreshToken }));
      return true;
    } catch (error) {
      if (error instanceof ApiError && (error.status === 0 || error.status >= 500 || error.status === 429)) {
        // Not refused, only unreachable: try again soon, keep the session meanwhile.
        this.schedule(REFRESH_RETRY_MS);
        return false;
      }
      this.end();
      return false;
    }
  }

  private accept(pair: RefreshReply): void {
    this.accessToken = pair.accessToken;
    this.refreshToken = pair.refreshToken;
    this.schedule(Math.max(10, pair.expiresIn - REFRESH_MARGIN_SECONDS) * 1000);
    this.notify();
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  private end(): void {
    clearTimeout(this.timer);
    this.accessToken = null;
    this.refreshToken = null;
    this.current = null;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
