import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Member } from '../../functions/src/api/apiTypes';
import { NoOrganisation } from '../src/auth/NoOrganisation';
import { MembersPanel, type MembersPanelProps } from '../src/members/MembersPanel';

const members: Member[] = [
  { uid: 'u-ann', email: 'ann@acme.example', role: 'admin', disabled: false },
  { uid: 'u-bo', email: 'bo@acme.example', role: 'member', disabled: false },
];

function setup(overrides: Partial<MembersPanelProps> = {}) {
  const props: MembersPanelProps = {
    organisation: { id: 'acme-k3x9qz', name: 'Acme Energy' },
    state: 'ready',
    members,
    error: null,
    currentUid: 'u-ann',
    onAdd: vi.fn(async () => {}),
    onRemove: vi.fn(async () => {}),
    onRetry: vi.fn(),
    ...overrides,
  };
  render(<MembersPanel {...props} />);
  return { props, user: userEvent.setup() };
}

describe('MembersPanel', () => {
  it('lists the members with their roles and the organisation id; the admin cannot remove themselves', () => {
    setup();
    expect(screen.getByRole('heading', { name: 'Members of Acme Energy' })).toBeInTheDocument();
    expect(screen.getByText('acme-k3x9qz')).toBeInTheDocument();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((row) => within(row).getAllByRole('cell').slice(0, 2).map((cell) => cell.textContent))).toEqual([
      ['ann@acme.example (you)', 'admin'],
      ['bo@acme.example', 'member'],
    ]);
    expect(within(rows[0]).queryByRole('button')).not.toBeInTheDocument();
    expect(within(rows[1]).getByRole('button', { name: 'Remove bo@acme.example' })).toBeInTheDocument();
  });

  it('adds a member with the chosen role and says so', async () => {
    const { props, user } = setup();
    await user.type(screen.getByLabelText('Email'), ' cy@acme.example ');
    await user.selectOptions(screen.getByLabelText('Role'), 'admin');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(props.onAdd).toHaveBeenCalledWith('cy@acme.example', 'admin');
    expect(screen.getByRole('status')).toHaveTextContent('cy@acme.example was added as an admin');
    expect(screen.getByLabelText('Email')).toHaveValue('');
  });

  it('asks for an email before adding, and shows why an add was refused', async () => {
    const onAdd = vi.fn(async () => {
      throw new Error('bo@globex.example is a member of another organisation');
    });
    const { user } = setup({ onAdd });
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(onAdd).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent('Enter the email address');
    await user.type(screen.getByLabelText('Email'), 'bo@globex.example');
    await user.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert')).toHaveTextContent('a member of another organisation');
  });

  it('removes a member', async () => {
    const { props, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Remove bo@acme.example' }));
    expect(props.onRemove).toHaveBeenCalledWith(members[1]);
    expect(screen.getByRole('status')).toHaveTextContent('bo@acme.example was removed');
  });

  it('shows loading and errors, with a retry', async () => {
    const { props, user } = setup({ state: 'error', members: [], error: 'The members could not be loaded.' });
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The members could not be loaded.');
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(props.onRetry).toHaveBeenCalled();
  });
});

describe('NoOrganisation', () => {
  it('says why there is nothing to see, how to get access, and lets the user check again or sign out', async () => {
    const onCheckAgain = vi.fn();
    const onSignOut = vi.fn();
    render(<NoOrganisation email="new@example.com" onCheckAgain={onCheckAgain} onSignOut={onSignOut} />);
    expect(screen.getByRole('heading', { name: 'You are not in an organisation yet' })).toBeInTheDocument();
    expect(screen.getByText('nem12 org add-member ORG new@example.com')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Check again' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(onCheckAgain).toHaveBeenCalledOnce();
    expect(onSignOut).toHaveBeenCalledOnce();
  });
});
