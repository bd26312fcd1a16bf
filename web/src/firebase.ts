import { initializeApp } from 'firebase/app';
import { connectAuthEmulator, getAuth } from 'firebase/auth';
import { firebaseSetup } from './firebaseConfig';

/**
 * The one Firebase app of the page, and its Auth. Firestore and Storage live in firestore.ts and
 * storage.ts, loaded with the uploads page after sign-in, so the sign-in page stays small.
 * Components never import these modules: the thin hooks and senders do.
 */
export const setup = firebaseSetup(import.meta.env);
export const app = initializeApp(setup.config);
export const auth = getAuth(app);

if (setup.emulators !== null) connectAuthEmulator(auth, setup.emulators.authUrl, { disableWarnings: true });
