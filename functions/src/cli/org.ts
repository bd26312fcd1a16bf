import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { ROLES, type Role } from '../orgs/membership';
import { invite } from '../orgs/invitations';
import { addMember, createOrganisation, listMembers, listOrganisations, OrgError, removeMember, renameOrganisation, TOOL_UPLOADER, type OrgAdmin } from '../orgs/organisations';
import { EXIT, UsageError } from './failure';
import { adminApp, firebaseTarget } from './firebaseProject';

/**
 * `nem12 org ...`: the organisation registry and its members, through the Admin SDK (the emulators
 * on a `demo-` project, Google Cloud otherwise). A refusal (no such organisation, a member of another
 * one ...) prints its code and exits 1. Arguments and options: commands.ts.
 */
const SUBCOMMANDS: Record<string, (admin: OrgAdmin, args: string[], values: Record<string, unknown>) => Promise<unknown>> = {
  create: (admin, [name], values) => createOrganisation(admin, name, { id: values.id as string | undefined }),
  rename: (admin, [org, name]) => renameOrganisation(admin, org, name),
  list: async (admin) => ({ organisations: await listOrganisations(admin) }),
  members: async (admin, [org]) => ({ members: await listMembers(admin, org) }),
  'add-member': (admin, [org, email], values) => addMember(admin, org, email, roleOf(values.role), { password: values.password as string | undefined }),
  'remove-member': (admin, [org, email]) => removeMember(admin, org, { email }),
  // Invited by the tool, as its uploads are made by it: no Auth user has this uid.
  invite: (admin, [org, email], values) => invite(admin, org, email, roleOf(values.role), TOOL_UPLOADER),
};

export async function orgCommand(name: string, args: string[], values: Record<string, unknown>): Promise<number> {
  const app = adminApp(firebaseTarget(values));
  try {
    const result = await SUBCOMMANDS[name]({ auth: getAuth(app), firestore: getFirestore(app) }, args, values);
    process.stdout.write(values.json ? `${JSON.stringify(result)}\n` : `${describe(name, result)}\n`);
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof OrgError)) throw error;
    process.stderr.write(`nem12 org ${name}: ${error.code}: ${error.message}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, error: { code: error.code, message: error.message } })}\n`);
    return EXIT.rejected;
  } finally {
    await Promise.resolve(getFirestore(app).terminate()).catch(() => {});
  }
}

function roleOf(value: unknown): Role {
  const role = (value ?? 'member') as Role;
  if (!ROLES.includes(role)) throw new UsageError(`--role must be ${ROLES.join(' or ')}`);
  return role;
}

function describe(name: string, result: unknown): string {
  const r = result as Record<string, unknown>;
  if (name === 'create' || name === 'rename') return `${r.id}\t${r.name}`;
  if (name === 'list') return (r.organisations as { id: string; name: string }[]).map((o) => `${o.id}\t${o.name}`).join('\n') || '(no organisations)';
  if (name === 'members') return (r.members as { email: string | null; uid: string; role: string }[]).map((m) => `${m.email ?? m.uid}\t${m.role}\t${m.uid}`).join('\n') || '(no members)';
  if (name === 'add-member') {
    const created = r.created ? ' (account created: without --password, they set one with "Forgot your password?" on the page)' : '';
    return `${r.email} is ${r.role === 'admin' ? 'an admin' : 'a member'}${created}; their next sign-in carries it`;
  }
  if (name === 'invite') return `${r.email} is invited as ${r.role === 'admin' ? 'an admin' : 'a member'} until ${r.expiresAt}: they sign in or create an account with that address on the page, verify it, and accept`;
  return `${r.email ?? r.uid} is no longer a member; their tokens are revoked`;
}
