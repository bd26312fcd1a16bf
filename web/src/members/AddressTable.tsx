import type { ReactNode } from 'react';

/** The members tab's tables (members, pending invitations): an address, its role, and its action. */
export function AddressTable({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <table className="members-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Email</th>
          <th scope="col">Role</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
