/**
 * Organisation ids: what a Storage path segment, a Firestore document id and a PostgreSQL key can
 * all hold without escaping. Pure.
 */
export const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{1,127}$/;

/** The organisation of `nem12 load` without --org: single-organisation use stays effortless. */
export const LOCAL_ORG = 'local';

export function isOrgId(text: string): boolean {
  return ORG_ID.test(text);
}

/**
 * The personal organisation of a user: what a new account gets on the emulators, and where the
 * migration to organisations put each former owner's data.
 */
export function personalOrgId(uid: string): string {
  return `u-${uid}`;
}

/** A new id from a name: its slug and a random suffix (`Acme Energy` -> `acme-energy-k3x9qz`). */
export function newOrgId(name: string, random: () => number = Math.random): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  let suffix = '';
  for (let i = 0; i < 6; i++) suffix += 'abcdefghijkmnpqrstuvwxyz23456789'[Math.floor(random() * 32)];
  return slug === '' ? `org-${suffix}` : `${slug}-${suffix}`;
}
