/**
 * The emails the Auth emulator "sends" (it keeps them as out-of-band codes instead): asked for and
 * applied through its REST API, as the web SDK's sendEmailVerification, sendPasswordResetEmail,
 * applyActionCode and confirmPasswordReset do. Imports nothing: the web page's browser tests use
 * `emailLink` too.
 */
const PROJECT = process.env.GCLOUD_PROJECT ?? 'demo-nem12';
const AUTH = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST ?? '127.0.0.1:9099'}`;
const IDENTITY = `${AUTH}/identitytoolkit.googleapis.com/v1`;

export type LinkKind = 'VERIFY_EMAIL' | 'PASSWORD_RESET';

async function post(path: string, body: object): Promise<unknown> {
  const response = await fetch(`${IDENTITY}${path}?key=demo-key`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as unknown;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

export const sendVerificationEmail = (idToken: string) => post('/accounts:sendOobCode', { requestType: 'VERIFY_EMAIL', idToken });
export const sendPasswordResetEmail = (email: string) => post('/accounts:sendOobCode', { requestType: 'PASSWORD_RESET', email });

/** The latest link of that kind "emailed" to `email` (waiting a little: a page sends it in the background). */
export async function emailLink(email: string, kind: LinkKind, waitMs = 10_000): Promise<{ oobCode: string; oobLink: string }> {
  const until = Date.now() + waitMs;
  for (;;) {
    const response = await fetch(`${AUTH}/emulator/v1/projects/${PROJECT}/oobCodes`);
    const { oobCodes } = (await response.json()) as { oobCodes: { email: string; requestType: string; oobCode: string; oobLink: string }[] };
    const found = oobCodes.filter((code) => code.email === email.toLowerCase() && code.requestType === kind).at(-1);
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`no ${kind} email for ${email}`);
    await new Promise((done) => setTimeout(done, 250));
  }
}

/** Opens the verification link's code: the address is verified from now on. */
export const applyVerification = (oobCode: string) => post('/accounts:update', { oobCode });
/** Sets a new password with the reset link's code. */
export const confirmPasswordReset = (oobCode: string, newPassword: string) => post('/accounts:resetPassword', { oobCode, newPassword });

/** A verification email sent and its link opened: the address is verified (the next token says so). */
export async function verifyAddress(email: string, idToken: string): Promise<void> {
  await sendVerificationEmail(idToken);
  await applyVerification((await emailLink(email, 'VERIFY_EMAIL')).oobCode);
}
