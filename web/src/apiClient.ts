import type { ApiErrorBody } from '../../functions/src/api/apiTypes';

/**
 * Calls the API (`/api/**`: Hosting rewrites it to the `api` function) with the signed-in user's ID
 * token. A failure is an ApiRequestError with the API's code and message. Pure of
 * Firebase: the token comes from `getToken`.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What is wrong where, when the API says it line by line (a refused register file). */
    readonly lines: ApiErrorLine[] = [],
    /** How many such problems there are in all (`lines` may list the first ones only). */
    readonly lineCount = lines.length,
  ) {
    super(message);
  }
}

export type ApiErrorLine = NonNullable<ApiErrorBody['error']['lines']>[number];

export type ApiGet = <T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal) => Promise<T>;
export type ApiSend = <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<T>;

/** GET requests with query parameters. */
export function apiClient(getToken: () => Promise<string>, fetchImpl: typeof fetch = fetch, base = '/api'): ApiGet {
  return async <T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> =>
    answerOf<T>(await reach(fetchImpl, `${base}${path}${queryOf(params)}`, { headers: { Authorization: `Bearer ${await getToken()}` }, signal }));
}

/** "?a=1&b=2" of the parameters given (none: ""). */
function queryOf(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const query = search.toString();
  return query ? `?${query}` : '';
}

/** POST, PUT and PATCH (a JSON body), and DELETE requests. */
export function apiSender(getToken: () => Promise<string>, fetchImpl: typeof fetch = fetch, base = '/api'): ApiSend {
  return async <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { Authorization: `Bearer ${await getToken()}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return answerOf<T>(await reach(fetchImpl, `${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  };
}

export type ApiFile = (path: string, params: Record<string, string | undefined>) => Promise<Blob>;

/** GET of a file the API streams (the CSV export): its bytes, or an ApiRequestError as for JSON. */
export function apiFile(getToken: () => Promise<string>, fetchImpl: typeof fetch = fetch, base = '/api'): ApiFile {
  return async (path, params) => {
    const response = await reach(fetchImpl, `${base}${path}${queryOf(params)}`, { headers: { Authorization: `Bearer ${await getToken()}` } });
    // An error is JSON, as from every endpoint: read (and thrown) the same way.
    return response.ok ? response.blob() : answerOf<Blob>(response);
  };
}

/** The response, or the network failure as an ApiRequestError (an abort stays an abort). */
async function reach(fetchImpl: typeof fetch, url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiRequestError(0, 'NETWORK', 'The service cannot be reached: check your connection and try again.');
  }
}

/** A JSON answer's body, or its error (the API's code and message) thrown. */
async function answerOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // not JSON (a proxy's error page): reported below
  }
  if (!response.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    const lines = Array.isArray(error?.lines) ? error.lines : [];
    throw new ApiRequestError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `The service answered ${response.status}.`, lines, error?.lineCount ?? lines.length);
  }
  return body as T;
}
