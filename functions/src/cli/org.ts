import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { ROLES, type Role } from '../orgs/membership';
import { addMember, createOrganisation, listMembers, listOrganisations, OrgError, removeMember, type OrgAdmin } from '../orgs/organisations';
import { EXIT } from './failure';
import { adminApp, firebaseTarget } from './firebaseProject';
import { UsageError } from './main';

/**
 * `nem12 org ...`: the organisation registry and its members, through the Admin SDK (the emulators
 * on a `demo-` project, Google Cloud otherwise). A refusal (no such organisation, a member of another
 * one ...) prints its code and exits 1.
 */
const SUBCOMMANDS: Record<string, { args: string; run(admin: OrgAdmin, args: string[], values: Record<string, unknown>): Promise<unknown> }> = {
  create: {
    args: 'NAME',
    run: (admin, [name], values) => createOrganisation(admin, name, { id: values.id as string | undefined }),
  },
  list: { args: '', run: async (admin) => ({ organisations: await listOrganisations(admin) }) },
  members: { args: 'ORG', run: async (admin, [org]) => ({ members: await listMembers(admin, org) }) },
  'add-member': {
    args: 'ORG EMAIL',
    run: (admin, [org, email], values) => addMember(admin, org, email, roleOf(values.role), { password: values.password as string | undefined }),
  },
  'remove-member': { args: 'ORG EMAIL', run: (admin, [org, email]) => removeMember(admin, org, { email }) },
};

export async function orgCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const [name, ...args] = positionals;
  const sub = SUBCOMMANDS[name ?? ''];
  if (sub === undefined) throw new UsageError(`org needs one of: ${Object.keys(SUBCOMMANDS).join(', ')}`);
  const wanted = sub.args === '' ? 0 : sub.args.split(' ').length;
  if (args.length !== wanted) throw new UsageError(`org ${name} takes ${sub.args || 'no arguments'}`);
  const app = adminApp(firebaseTarget(values));
  try {
    const result = await sub.run({ auth: getAuth(app), firestore: getFirestore(app) }, args, values);
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
  if (name === 'create') return `${r.id}\t${r.name}`;
  if (name === 'list') return (r.organisations as { id: string; name: string }[]).map((o) => `${o.id}\t${o.name}`).join('\n') || '(no organisations)';
  if (name === 'members') return (r.members as { email: string | null; uid: string; role: string }[]).map((m) => `${m.email ?? m.uid}\t${m.role}\t${m.uid}`).join('\n') || '(no members)';
  if (name === 'add-member') return `${r.email} is ${r.role === 'admin' ? 'an admin' : 'a member'}${r.created ? ' (account created)' : ''}; their next sign-in carries it`;
  return `${r.email ?? r.uid} is no longer a member; their tokens are revoked`;
}
