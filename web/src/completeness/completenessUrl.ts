import { rangeProblem, STATUSES, type CompletenessView, type GapStatus } from './completenessModel';

/**
 * The completeness view in the page's URL (`#/completeness?from=…&to=…&status=…`), as the explorer
 * keeps its own (explorer/viewUrl.ts): a reload shows the same days and list, a copied link opens
 * them for another member. Pure; a link with days that make no report is ignored (the view then
 * opens on its default days); an unknown status is the missing days.
 */
export function completenessHash(view: CompletenessView): string {
  return `#/completeness?${new URLSearchParams({ from: view.from, to: view.to, status: view.status }).toString()}`;
}

export function completenessViewOfHash(hash: string): CompletenessView | null {
  const match = /^#\/?completeness\?(.*)$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[1]);
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  if (rangeProblem(from, to) !== null) return null;
  const status = STATUSES.find((known) => known.id === params.get('status'))?.id ?? ('missing' satisfies GapStatus);
  return { from, to, status };
}
