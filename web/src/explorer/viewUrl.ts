import { fitGranularity, rangeProblem, type Granularity, type Selection } from './explorerModel';

/**
 * The explorer's whole view in the page's URL (`#/explorer?nmi=…&channel=…&from=…&to=…&by=…[&with=…]`), so a
 * reload shows the same view and a copied link opens it for another member of the organisation.
 * Pure; anything malformed in a link is ignored (the explorer then opens on its default view).
 */
const GRANULARITIES: readonly Granularity[] = ['interval', 'day', 'month'];

export function viewHash(selection: Selection): string {
  const params = new URLSearchParams({ nmi: selection.nmi, channel: selection.suffix, from: selection.from, to: selection.to, by: selection.granularity });
  if (selection.overlay !== undefined) params.set('with', selection.overlay);
  return `#/explorer?${params.toString()}`;
}

export function viewOfHash(hash: string): Selection | null {
  const match = /^#\/?explorer\?(.*)$/.exec(hash);
  if (!match) return null;
  const params = new URLSearchParams(match[1]);
  const nmi = params.get('nmi') ?? '';
  const suffix = params.get('channel') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const by = params.get('by') ?? 'day';
  if (!/^[A-Za-z0-9]{1,10}$/.test(nmi) || !/^[A-Za-z0-9]{2}$/.test(suffix)) return null;
  if (!(GRANULARITIES as readonly string[]).includes(by)) return null;
  const granularity = by as Granularity;
  // A range too long for its granularity falls back to days; one that is wrong for any is ignored.
  if (rangeProblem(from, to, 'day') !== null) return null;
  const overlay = params.get('with');
  const view = fitGranularity({ nmi, suffix, from, to, granularity });
  return overlay !== null && /^[A-Za-z0-9]{2}$/.test(overlay) && overlay !== suffix ? { ...view, overlay } : view;
}
