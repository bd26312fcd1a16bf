import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Invitation, Member } from '../../functions/src/api/apiTypes';
import { NoOrganisation } from '../src/auth/NoOrganisation';
import { MembersPanel, type MembersPanelProps } from '../src/members/MembersPanel';

const members: Member[] = [
  { uid: 'u-ann', email: 'ann@acme.example', role: 'admin', disabled: false },
  { uid: 'u-bo', email: 'bo@acme.example', role: 'member', disabled: false },
];
// Noon UTC: the same calendar day in every time zone the tests may run in.
const pending: Invitation[] = [{ id: 'inv-cy', email: 'cy@elsewhere.example', role: 'member', invitedBy: 'u-ann', createdAt: '2027-01-01T12:00:00.000Z', expiresAt: '2027-01-15T12:00:00.000Z' }];

function setup(overrides: Partial<MembersPanelProps> = {}) {
  const props: MembersPanelProps = {
    organisation: { id: 'acme-k3x9qz', name: 'Acme Energy' },
    state: 'ready',
    members,
    invitations: pending,
    error: null,
    currentUid: 'u-ann',
    onInvite: vi.fn(async (email: string, role: 'admin' | 'member') => ({ id: 'x', email, role, invitedBy: 'u-ann', createdAt: '2027-02-01T12:00:00.000Z', expiresAt: '2027-02-15T12:00:00.000Z' })),
    onRevoke: vi.fn(async () => {}),
    onRemove: vi.fn(async () => {}),
    onRename: vi.fn(async () => {}),
    onRetry: vi.fn(),
    ...overrides,
  };
  render(<MembersPanel {...props} />);
  return { props, user: userEvent.setup() };
}

const tables = () => screen.getAllByRole('table');
const rowsOf = (table: HTMLElement) => within(table).getAllByRole('row').slice(1);

describe('MembersPanel', () => {
  it('lists the members with their roles and the organisation id; the admin cannot remove themselves', () => {
    setup();
    expect(screen.getByRole('heading', { name: 'Members of Acme Energy' })).toBeInTheDocument();
    expect(screen.getByText('acme-k3x9qz')).toBeInTheDocument();
    const rows = rowsOf(screen.getByRole('table', { name: 'Members and their roles' }));
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(0, 2).map((cell) => cell.textContent))).toEqual([
      ['ann@acme.example (you)', 'admin'],
      ['bo@acme.example', 'member'],
    ]);
    expect(within(rows[0]).queryByRole('button')).not.toBeInTheDocument();
    expect(within(rows[1]).getByRole('button', { name: 'Remove bo@acme.example' })).toBeInTheDocument();
  });

  it('invites an address with the chosen role, and says what happens next in the same words for any address', async () => {
    const { props, user } = setup();
    await user.type(screen.getByLabelText('Email'), ' Cy@Globex.example ');
    await user.selectOptions(screen.getByLabelText('Role'), 'admin');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(props.onInvite).toHaveBeenCalledWith('Cy@Globex.example', 'admin');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Cy@Globex.example is invited as an admin until 15 Feb 2027. Nothing is emailed: tell them to sign in (or create an account) with that address on this page, verify it, and accept.',
    );
    expect(screen.getByLabelText('Email')).toHaveValue('');
  });

  it('asks for an email before inviting, and shows why an invitation was refused', async () => {
    const onInvite = vi.fn(async () => {
      throw new Error('bo@acme.example is already a member of this organisation.');
    });
    const { user } = setup({ onInvite });
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(onInvite).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the email address of the person to invite.');
    await user.type(screen.getByLabelText('Email'), 'bo@acme.example');
    await user.click(screen.getByRole('button', { name: 'Invite' }));
    expect(screen.getByRole('alert')).toHaveTextContent('already a member of this organisation');
    expect(screen.getByLabelText('Email')).toHaveValue('bo@acme.example');
  });

  it('lists pending invitations with their expiry, and revokes one', async () => {
    const { props, user } = setup();
    const invitations = tables()[1];
    expect(invitations).toHaveAccessibleName('Invitations waiting for an answer');
    expect(rowsOf(invitations).map((row) => within(row).getAllByRole('cell').slice(0, 2).map((cell) => cell.textContent))).toEqual([
      ['cy@elsewhere.exampleuntil 15 Jan 2027', 'member'],
    ]);
    await user.click(screen.getByRole('button', { name: 'Revoke the invitation of cy@elsewhere.example' }));
    expect(props.onRevoke).toHaveBeenCalledWith(pending[0]);
    expect(screen.getByRole('status')).toHaveTextContent('The invitation of cy@elsewhere.example was revoked.');
  });

  it('says when no invitation is pending', () => {
    setup({ invitations: [] });
    expect(screen.getByText('No invitation is waiting for an answer.')).toBeInTheDocument();
    expect(tables()).toHaveLength(1);
  });

  it('renames the organisation (trimmed), and refuses an empty or overlong name before asking', async () => {
    const { props, user } = setup();
    const name = screen.getByLabelText('Organisation name');
    expect(name).toHaveValue('Acme Energy');
    await user.clear(name);
    await user.type(name, '   ');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    expect(props.onRename).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Enter a name of 1 to 200 characters.');
    await user.clear(name);
    await user.type(name, '  Acme Energy Pty Ltd ');
    await user.click(screen.getByRole('button', { name: 'Rename' }));
    expect(props.onRename).toHaveBeenCalledWith('Acme Energy Pty Ltd');
    expect(screen.getByRole('status')).toHaveTextContent('The organisation is now called Acme Energy Pty Ltd.');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('removes a member', async () => {
    const { props, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Remove bo@acme.example' }));
    expect(props.onRemove).toHaveBeenCalledWith(members[1]);
    expect(screen.getByRole('status')).toHaveTextContent('bo@acme.example was removed');
  });

  it('shows loading and errors, with a retry', async () => {
    const { props, user } = setup({ state: 'error', members: [], invitations: [], error: 'The members could not be loaded.' });
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The members could not be loaded.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(props.onRetry).toHaveBeenCalled();
  });
});

describe('NoOrganisation', () => {
  it('says why there is nothing to see, how to get an invitation, and lets the user check again or sign out', async () => {
    const onCheckAgain = vi.fn();
    const onSignOut = vi.fn();
    render(<NoOrganisation email="new@example.com" onCheckAgain={onCheckAgain} onSignOut={onSignOut} />);
    expect(screen.getByRole('heading', { name: 'You are not in an organisation yet' })).toBeInTheDocument();
    expect(screen.getByText('nem12 org invite ORG new@example.com')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(onCheckAgain).toHaveBeenCalledOnce();
    expect(onSignOut).toHaveBeenCalledOnce();
  });
});
