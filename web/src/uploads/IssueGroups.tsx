import { csvText } from '../csvText';
import { saveBlob } from '../download';
import { formatCount, issueLocation, plural } from './format';
import type { Issues, StatusIssue } from './model';

export interface IssueGroup {
  code: string;
  count: number;
  /** Those of the code among the issues kept (the first hundred of the upload). */
  items: StatusIssue[];
}

/** Issues by code, the most frequent first (then by code). Pure. */
export function issueGroups(list: Issues): IssueGroup[] {
  const counts = { ...list.byCode };
  for (const item of list.items) counts[item.code] ??= 0;
  return Object.entries(counts)
    .map(([code, count]) => {
      const items = list.items.filter((item) => item.code === code);
      return { code, count: Math.max(count, items.length), items };
    })
    .sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1));
}

/** The issues kept, as CSV (RFC 4180), with what was not kept said in its first lines. */
export function issuesCsv(kind: 'error' | 'warning', list: Issues): string {
  return csvText([['severity', 'code', 'line', 'message'], ...list.items.map((item) => [kind, item.code, item.line, item.message])]);
}

/**
 * An upload's errors or warnings grouped by code with their counts, each group opening on its
 * lines; the kept ones download as CSV. A file with 99 warnings of one code is one line.
 */
export function IssueGroups({ kind, list, fileName }: { kind: 'error' | 'warning'; list: Issues; fileName: string }) {
  if (list.count === 0 && list.items.length === 0) return null;
  const groups = issueGroups(list);
  const notKept = list.count - list.items.length;
  const download = () => saveBlob(new Blob([issuesCsv(kind, list)], { type: 'text/csv' }), `${fileName}.${kind}s.csv`);
  return (
    <section className={`issues issues-${kind}`} aria-label={plural(list.count, kind)}>
      <h4>
        {plural(list.count, kind)}
        {groups.length > 1 && <span className="hint"> of {plural(groups.length, 'kind')}</span>}
      </h4>
      <ul className="issue-groups">
        {groups.map((group) => (
          <li key={group.code} data-testid="issue-group" data-code={group.code}>
            <details>
              <summary>
                <code>{group.code}</code> <span className="issue-count">× {formatCount(group.count)}</span>
                {group.items[0] && (
                  <span className="issue-first">
                    {' '}
                    first at {issueLocation(group.items[0].line)}: {group.items[0].message}
                  </span>
                )}
              </summary>
              <ul className="issue-lines">
                {group.items.map((item, index) => (
                  <li key={`${item.line}-${index}`}>
                    <span className="issue-line">{issueLocation(item.line)}</span>: {item.message}
                  </li>
                ))}
              </ul>
              {group.count > group.items.length && <p className="more">{formatCount(group.count - group.items.length)} more of this code are counted, not listed.</p>}
            </details>
          </li>
        ))}
      </ul>
      <p className="issue-actions">
        <button type="button" className="link" onClick={download}>
          Download {list.items.length === list.count ? `the ${plural(list.count, kind)}` : `the first ${formatCount(list.items.length)}`} as CSV
        </button>
        {notKept > 0 && <span className="hint"> ({formatCount(notKept)} more are counted above but not kept)</span>}
      </p>
    </section>
  );
}
