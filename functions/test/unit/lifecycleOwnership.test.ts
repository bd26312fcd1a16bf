import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// One module moves an upload's state: lifecycle/. Nothing else may write `uploads.status` (or what
// decides its moves) in SQL, or write a status document. Read from the sources, so that a new
// shortcut fails here instead of making the two stores disagree.
const SRC = join(__dirname, '..', '..', 'src');
const OWNER = join(SRC, 'lifecycle');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** SQL that writes an upload's state: its status, or published_at, sql_path, sql_error, finished_at, or a new row. */
const STATE_SQL = /\bINSERT\s+INTO\s+uploads\b|\bUPDATE\s+uploads\b(?:\s+\w+)?\s+SET\b[^`;]*?\b(?:status|published_at|sql_path|sql_error|finished_at)\s*=/i;
/** A write to the status documents' collection. */
const DOCUMENT_WRITE = /collection\((?:STATUS_COLLECTION|'uploads')\)[\s\S]{0,200}?\.(?:update|set|create|delete)\(|runTransaction[\s\S]{0,400}?statusRef/;

export function violations(files: { path: string; text: string }[]) {
  return files.filter(({ text }) => STATE_SQL.test(text) || DOCUMENT_WRITE.test(text)).map(({ path }) => path);
}

describe("the upload lifecycle's state has one writer", () => {
  it('no SQL that writes uploads.status and no status document write outside lifecycle/', () => {
    const outside = sources(SRC)
      // The benchmark builds its data sets straight in SQL (bench/): not uploads moving.
      .filter((path) => !path.startsWith(OWNER) && !path.startsWith(join(SRC, 'bench')))
      .map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
    expect(outside.length).toBeGreaterThan(50);
    expect(violations(outside)).toEqual([]);
  });

  it('the check finds such writes (it can fail)', () => {
    const samples = [
      "await db.query(`UPDATE uploads SET status = 'done' WHERE id = $1`)",
      "await pool.query('UPDATE uploads u SET sql_path = $2 WHERE id = $1')",
      'await client.query(`INSERT INTO uploads (org_id) VALUES ($1)`)',
      "await firestore.collection('uploads').doc(id).update({ status: 'done' })",
      'await firestore.collection(STATUS_COLLECTION).doc(id).set(doc)',
    ];
    expect(violations(samples.map((text, i) => ({ path: `sample${i}.ts`, text })))).toHaveLength(samples.length);
    // Reads are fine.
    expect(violations([{ path: 'read.ts', text: "await db.query('SELECT status FROM uploads'); firestore.collection('uploads').doc(id).onSnapshot(f)" }])).toEqual([]);
  });
});
