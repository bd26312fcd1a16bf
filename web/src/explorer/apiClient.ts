import type { ApiErrorBody } from '../../../functions/src/api/apiTypes';

/**
 * Calls the readings API (`/api/**`: Hosting rewrites it to the `api` function) with the signed-in
 * user's ID token. A failure is an ApiRequestError with the API's code and message. Pure of
 * Firebase: the token comes from `getToken`.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ApiGet = <T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal) => Promise<T>;

export function apiClient(getToken: () => Promise<string>, fetchImpl: typeof fetch = fetch, base = '/api'): ApiGet {
  return async <T>(path: string, params: Record<string, string | number | undefined>, signal?: AbortSignal): Promise<T> => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
    const query = search.toString();
    let response: Response;
    try {
      response = await fetchImpl(`${base}${path}${query ? `?${query}` : ''}`, { headers: { Authorization: `Bearer ${await getToken()}` }, signal });
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      throw new ApiRequestError(0, 'NETWORK', 'The readings service cannot be reached: check your connection and try again.');
    }
    const text = await response.text();
    let body: unknown = null;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON (a proxy's error page): reported below
    }
    if (!response.ok) {
      const error = (body as ApiErrorBody | null)?.error;
      throw new ApiRequestError(response.status, error?.code ?? 'HTTP_ERROR', error?.message ?? `The readings service answered ${response.status}.`);
    }
    return body as T;
  };
}
