import {
  createUserWithEmailAndPassword,
  onAuthStateChanged,
  sendEmailVerification,
  sendPasswordResetEmail,
  signInWithEmailAndPassword,
  signOut as firebaseSignOut,
  type User,
} from 'firebase/auth';
import { useEffect, useState } from 'react';
import { auth } from '../firebase';

/** The signed-in user: undefined until Firebase knows, then a User or null. */
export function useAuthUser(): User | null | undefined {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => onAuthStateChanged(auth, setUser), []);
  return user;
}

export const signIn = (email: string, password: string) => signInWithEmailAndPassword(auth, email, password);
export const signOut = () => firebaseSignOut(auth);

/** A new account, and the email that verifies its address (needed to accept an invitation). */
export async function createAccount(email: string, password: string): Promise<void> {
  const { user } = await createUserWithEmailAndPassword(auth, email, password);
  // The account exists whatever happens here: the page offers to send the link again.
  await sendEmailVerification(user).catch(() => undefined);
}

/** Emails a link to set a new password (also the way in for an account made without one). */
export const resetPassword = (email: string) => sendPasswordResetEmail(auth, email);

export const resendVerification = (user: User) => sendEmailVerification(user);

/** After the link was opened elsewhere: the user's record again, and a token that says so. */
export async function reloadVerification(user: User): Promise<void> {
  await user.reload();
  await user.getIdToken(true);
}
