import { once } from 'node:events';
import { onRequest } from 'firebase-functions/v2/https';
import { API_CACHE_MB, functionOptions, isDemoProject, pool } from '../config';
import { auth, orgAdmin } from '../firebase';
import { logs } from '../logs';
import { tokenMembership } from '../orgs/membership';
import { handleApiRequest, type ApiContext } from './handleApiRequest';
import { ResponseCache } from './responseCache';

let context: ApiContext | null = null;

/** One context per instance: its pool and its cache live as long as the instance. */
async function apiContext(): Promise<ApiContext> {
  context ??= {
    pool: await pool('api'),
    // The account as Auth holds it now decides (one lookup, as checkRevoked's): a removed member, a revoked session or a disabled user is refused at once.
    verifyIdToken: async (token) => {
      const decoded = await auth().verifyIdToken(token);
      const checked = tokenMembership(decoded, await auth().getUser(decoded.uid));
      if ('refused' in checked) throw new Error(`ID token refused: ${checked.refused}`);
      return { uid: decoded.uid, email: decoded.email ?? null, emailVerified: decoded.email_verified === true, membership: checked.membership };
    },
    cache: new ResponseCache(API_CACHE_MB.value() * 512 * 1024), // characters: about 2 bytes each
    orgs: orgAdmin(),
    provisioning: isDemoProject(),
    onError: (error, request) => logs.apiFailed({ path: request.url.split('?')[0] }, error),
  };
  return context;
}

/**
 * The readings API over HTTPS (GET /overview, /nmis, /readings, /readings.csv, /stats; see handleApiRequest.ts). The web page
 * reaches it at /api/** through Hosting's rewrite. Anyone may call it (invoker public): every
 * request must carry a Firebase ID token, and a user sees only the NMIs of their own uploads.
 */
export const api = onRequest(
  {
    invoker: 'public',
    memory: '512MiB',
    cpu: 1,
    // Requests of one instance share its pool (one connection per concurrent request) and its cache.
    ...functionOptions('api'),
  },
  async (request, response) => {
    let ready: ApiContext;
    try {
      ready = await apiContext();
    } catch (error) {
      // The database is unreachable or its schema behind the code: the page retries later.
      logs.failure('api not ready', error);
      response.status(503).set({ 'Retry-After': '5' }).json({ error: { code: 'DATABASE_UNAVAILABLE', message: 'The database is not available; try again shortly.' } });
      return;
    }
    const answer = await handleApiRequest({ method: request.method, url: request.url, headers: request.headers, body: request.body }, ready);
    response.status(answer.status).set(answer.headers);
    if (answer.stream === undefined) {
      response.send(answer.body);
      return;
    }
    try {
      for await (const chunk of answer.stream) if (!response.write(chunk)) await once(response, 'drain');
    } catch (error) {
      // The status is sent: a failure mid-export can only cut the file short, and say so in the log.
      logs.apiFailed({ path: request.url.split('?')[0] }, error);
      response.destroy(error as Error);
      return;
    }
    response.end();
  },
);
