import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { MeAnswer } from '../../functions/src/api/apiTypes';
import { ApiRequestError } from '../src/apiClient';
import { Invitations, type InvitationsProps } from '../src/auth/Invitations';

const base: MeAnswer = { uid: 'u-new', email: 'new@example.com', emailVerified: true, organisation: null, role: null, invitations: [], canCreateOrganisation: false };
// Noon UTC: the same calendar day in every time zone the tests may run in.
const acme = { id: 'inv-1', organisation: { id: 'acme', name: 'Acme Energy' }, role: 'member' as const, expiresAt: '2027-01-15T12:00:00.000Z' };
const globex = { id: 'inv-2', organisation: { id: 'globex', name: 'Globex' }, role: 'admin' as const, expiresAt: '2027-01-20T12:00:00.000Z' };

function setup(me: Partial<MeAnswer>, overrides: Partial<InvitationsProps['actions']> = {}) {
  const actions: InvitationsProps['actions'] = {
    accept: vi.fn(async () => {}),
    decline: vi.fn(async () => {}),
    resendVerification: vi.fn(async () => {}),
    checkVerified: vi.fn(async () => true),
    ...overrides,
  };
  const view = render(<Invitations me={{ ...base, ...me }} actions={actions} />);
  return { actions, view, user: userEvent.setup() };
}

describe('Invitations', () => {
  it('shows nothing when there is nothing to do', () => {
    const { view } = setup({});
    expect(view.container).toBeEmptyDOMElement();
  });

  it('lists each invitation with its organisation, role and expiry, and accepts one', async () => {
    const { actions, user } = setup({ invitations: [acme, globex] });
    expect(screen.getByRole('heading', { name: 'Invitations' })).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map((item) => item.querySelector('p')!.textContent)).toEqual([
      'Acme Energy invites you to join as a member (until 15 Jan 2027).',
      'Globex invites you to join as an admin (until 20 Jan 2027).',
    ]);
    await user.click(screen.getByRole('button', { name: 'Accept the invitation to join Globex' }));
    expect(actions.accept).toHaveBeenCalledWith('inv-2');
    expect(screen.getByRole('status')).toHaveTextContent('You joined Globex.');
  });

  it('declines one, and says why an answer was refused', async () => {
    const refusal = new ApiRequestError(409, 'MEMBER_OF_ANOTHER_ORGANISATION', 'You are a member of another organisation, and an account belongs to one.');
    const { actions, user } = setup({ invitations: [acme] }, { accept: vi.fn(() => Promise.reject(refusal)) });
    await user.click(screen.getByRole('button', { name: 'Accept the invitation to join Acme Energy' }));
    expect(screen.getByRole('alert')).toHaveTextContent('You are a member of another organisation');
    await user.click(screen.getByRole('button', { name: 'Decline the invitation to join Acme Energy' }));
    expect(actions.decline).toHaveBeenCalledWith('inv-1');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('You declined the invitation to join Acme Energy.');
  });

  it('asks a user in no organisation to verify their address first, resends the link, and checks it', async () => {
    const checkVerified = vi.fn().mockResolvedValueOnce(false).mockResolvedValueOnce(true);
    const { actions, user } = setup({ emailVerified: false }, { checkVerified });
    expect(screen.getByRole('heading', { name: 'Verify your email address' })).toBeInTheDocument();
    expect(screen.getByText(/Before you can accept an invitation to an organisation, verify/)).toHaveTextContent('new@example.com');
    await user.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect(actions.resendVerification).toHaveBeenCalledOnce();
    expect(screen.getByRole('status')).toHaveTextContent('A new link is on its way to new@example.com.');
    await user.click(screen.getByRole('button', { name: "I've verified my address" }));
    expect(screen.getByRole('alert')).toHaveTextContent('new@example.com is not verified yet');
    await user.click(screen.getByRole('button', { name: "I've verified my address" }));
    expect(checkVerified).toHaveBeenCalledTimes(2);
    expect(screen.getByRole('status')).toHaveTextContent('Your address is verified');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('does not ask a member of an organisation to verify anything', () => {
    const { view } = setup({ emailVerified: false, organisation: { id: 'acme', name: 'Acme Energy' }, role: 'member' });
    expect(view.container).toBeEmptyDOMElement();
  });

  it('keeps its buttons disabled while an answer is on its way', async () => {
    let finish: () => void = () => {};
    const { user } = setup({ invitations: [acme, globex] }, { accept: vi.fn(() => new Promise<void>((resolve) => (finish = resolve))) });
    await user.click(screen.getByRole('button', { name: 'Accept the invitation to join Acme Energy' }));
    for (const button of screen.getAllByRole('button')) expect(button).toBeDisabled();
    finish();
    expect(await screen.findByText('You joined Acme Energy.')).toBeInTheDocument();
  });
});
