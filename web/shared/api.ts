// The one API client of the web apps. The access token lives in memory only; the refresh token is
// an HttpOnly cookie the server sets in cookie mode (X-Session-Mode: cookie), so a reload signs
// back in through POST /auth/refresh-token and a script injected into the page cannot steal the
// session. Every error answer becomes an ApiError carrying the spec's code and field details.

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
  // The message for one field (e.g. "email"), if the server named it.
  about(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
}

export interface User {
  _id: string;
  role: string;
  email: string;
  profile: { firstName: string; lastName?: string };
}

let accessToken: string | null = null;
let refreshing: Promise<boolean> | null = null;

export const token = (): string | null => accessToken;

async function send(method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { Accept: 'application/json', ...extra };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server cannot be reached. Check the connection and try again.');
  }
  const json = await res.json().catch(() => null);
  if (!res.ok || !json?.success) {
    const e = json?.error ?? {};
    throw new ApiError(res.status, e.code ?? 'HTTP_' + res.status, e.message ?? `The server answered ${res.status}.`, e.details ?? []);
  }
  return json;
}

const cookieMode = { 'X-Session-Mode': 'cookie' };

// A new access token from the session cookie; false when there is no session (sign in again).
export function refresh(): Promise<boolean> {
  refreshing ??= send('POST', '/auth/refresh-token', {}, cookieMode)
    .then((json) => {
      accessToken = json.data.token;
      return true;
    })
    .catch(() => {
      accessToken = null;
      return false;
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

// A call to /api/v1<path>: its data (and meta). An expired access token is renewed once.
export async function api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  try {
    return (await send(method, path, body, headers)).data;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && !path.startsWith('/auth/') && (await refresh()))
      return (await send(method, path, body, headers)).data;
    throw e;
  }
}

// The same, with the answer's meta (pagination, a list's totals).
export async function apiWithMeta<T = any>(method: string, path: string): Promise<{ data: T; meta: any }> {
  try {
    const json = await send(method, path);
    return { data: json.data, meta: json.meta };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401 && (await refresh())) {
      const json = await send(method, path);
      return { data: json.data, meta: json.meta };
    }
    throw e;
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  const json = await send('POST', '/auth/login', { email, password }, cookieMode);
  accessToken = json.data.token;
  return json.data.user;
}

export async function signOut(): Promise<void> {
  try {
    await send('POST', '/auth/logout', undefined, cookieMode);
  } finally {
    accessToken = null;
  }
}
