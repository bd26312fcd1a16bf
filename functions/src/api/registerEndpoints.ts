import { z } from 'zod';
import { parseRegister } from '../completeness/registerCsv';
import { registerSummary, replaceRegister } from '../load/register';
import { jsonResponse, type ApiContext, type ApiRequest, type ApiResponse, type Caller } from './apiContext';
import { ApiError } from './apiError';
import type { RegisterSummary } from './apiTypes';

/**
 * The organisation's register of NMIs (completeness/registerCsv.ts), never cached:
 *
 *   GET /register   its size: lines and NMIs
 *   PUT /register   (admins) {csv}: replace it with a register file, taken whole or refused with
 *                   every line's problem (422 REGISTER_INVALID, `lines`: line, code, message)
 */
type Handler = (caller: Caller, request: ApiRequest, context: ApiContext) => Promise<ApiResponse>;

const registerInput = z.object({ csv: z.string({ message: 'expected the register file as text' }) });

function orgOf(caller: Caller, admin: boolean): string {
  if (caller.membership === null) throw new ApiError('NO_ORGANISATION', 'You are not a member of an organisation yet: an admin of your organisation must add you.');
  if (admin && caller.membership.role !== 'admin') throw new ApiError('ADMIN_ONLY', "Only an admin of your organisation may change its register.");
  return caller.membership.org;
}

const METHODS: Record<string, Handler> = {
  GET: async (caller, _request, context) => jsonResponse(200, (await registerSummary(context.pool, orgOf(caller, false))) satisfies RegisterSummary),
  PUT: async (caller, request, context) => {
    const org = orgOf(caller, true);
    const input = registerInput.safeParse(request.body ?? {});
    if (!input.success) throw new ApiError('INVALID_PARAMETER', `csv: ${input.error.issues[0].message}`, 'csv');
    const parsed = parseRegister(input.data.csv);
    if (parsed.errorCount > 0) {
      const first = parsed.errors[0];
      throw new ApiError('REGISTER_INVALID', `The register has ${parsed.errorCount} problem${parsed.errorCount === 1 ? '' : 's'}; nothing was changed. Line ${first.line}: ${first.message}`, 'csv', {
        lines: parsed.errors,
        lineCount: parsed.errorCount,
      });
    }
    return jsonResponse(200, (await replaceRegister(context.pool, org, parsed.entries)) satisfies RegisterSummary);
  },
};

/** The handler of /register for a method; null for another method; undefined for another route. */
export function registerEndpoint(route: string, method: string): Handler | null | undefined {
  if (route !== '/register') return undefined;
  return METHODS[method] ?? null;
}
