import { describe, expect, it } from 'vitest';
import { apiClient, apiFile, ApiRequestError, apiSender } from '../src/apiClient';

// The network is a stand-in here (the browser tests talk to the real API): what is under test is
// the request the client builds and how it reads answers.
function network(answer: () => Response | Promise<Response>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return answer();
  }) as typeof fetch;
  return { calls, fetchImpl };
}

describe('the readings API client', () => {
  it('sends the ID token and only the parameters that are set', async () => {
    const { calls, fetchImpl } = network(() => new Response(JSON.stringify({ nmis: [] }), { status: 200 }));
    const get = apiClient(async () => 'token-1', fetchImpl);
    expect(await get('/nmis', { search: '', limit: 5, cursor: undefined })).toEqual({ nmis: [] });
    expect(calls[0].url).toBe('/api/nmis?limit=5');
    expect(new Headers(calls[0].init?.headers).get('Authorization')).toBe('Bearer token-1');
  });

  it("turns the API's errors into ApiRequestErrors with its code and message", async () => {
    const { fetchImpl } = network(
      () => new Response(JSON.stringify({ error: { code: 'INVALID_PARAMETER', message: 'from: not a calendar date', parameter: 'from' } }), { status: 400 }),
    );
    const failure = await apiClient(async () => 't', fetchImpl)('/stats', { from: '2023-02-30' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiRequestError);
    expect(failure).toMatchObject({ status: 400, code: 'INVALID_PARAMETER', message: 'from: not a calendar date' });
  });

  it('says so plainly when the answer is not the API speaking, or nothing answers', async () => {
    const proxy = network(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(apiClient(async () => 't', proxy.fetchImpl)('/nmis', {})).rejects.toMatchObject({ status: 502, code: 'HTTP_ERROR' });
    const offline = network(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(apiClient(async () => 't', offline.fetchImpl)('/nmis', {})).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
  });

  it('fetches a file with the token, and reads its errors as JSON answers', async () => {
    const ok = network(() => new Response('interval_end,value\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }));
    const blob = await apiFile(async () => 'tok', ok.fetchImpl)('/readings.csv', { nmi: 'N1', suffix: 'E1', from: undefined });
    expect(await blob.text()).toBe('interval_end,value\r\n');
    expect(ok.calls[0].url).toBe('/api/readings.csv?nmi=N1&suffix=E1');
    expect((ok.calls[0].init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    const missing = network(() => Response.json({ error: { code: 'NMI_NOT_FOUND', message: 'nmi: no channel' } }, { status: 404 }));
    await expect(apiFile(async () => 't', missing.fetchImpl)('/readings.csv', { nmi: 'N1' })).rejects.toMatchObject({ status: 404, code: 'NMI_NOT_FOUND' });
  });

  it('sends a JSON body with PUT, and keeps the lines a refusal lists with their count', async () => {
    const refusal = { error: { code: 'REGISTER_INVALID', message: 'The register has 101 problems', lines: [{ line: 2, code: 'INVALID_NMI', message: 'NMI "X" is not 10 capital letters and digits.' }], lineCount: 101 } };
    const { calls, fetchImpl } = network(() => Response.json(refusal, { status: 422 }));
    const failure = await apiSender(async () => 'tok', fetchImpl)('PUT', '/register', { csv: 'X,,,\n' }).catch((error: unknown) => error);
    expect(calls[0]).toMatchObject({ url: '/api/register', init: { method: 'PUT', body: '{"csv":"X,,,\\n"}' } });
    expect(new Headers(calls[0].init?.headers).get('Content-Type')).toBe('application/json');
    expect(failure).toMatchObject({ status: 422, code: 'REGISTER_INVALID', lines: refusal.error.lines, lineCount: 101 });
    // Any other error has no lines.
    const other = network(() => Response.json({ error: { code: 'ADMIN_ONLY', message: 'Only an admin' } }, { status: 403 }));
    await expect(apiSender(async () => 't', other.fetchImpl)('PUT', '/register', { csv: '' })).rejects.toMatchObject({ code: 'ADMIN_ONLY', lines: [], lineCount: 0 });
  });
});
