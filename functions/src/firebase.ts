import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { getFunctions } from 'firebase-admin/functions';
import { getStorage } from 'firebase-admin/storage';

/** The Admin SDK, initialised once per instance (from the environment: emulators or production). */
function app() {
  return getApps()[0] ?? initializeApp();
}

export const auth = () => getAuth(app());
export const firestore = () => getFirestore(app());
export const storage = () => getStorage(app());
export const taskQueues = () => getFunctions(app());
export const orgAdmin = () => ({ auth: auth(), firestore: firestore() });
