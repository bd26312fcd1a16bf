import { connectFirestoreEmulator, getFirestore } from 'firebase/firestore';
import { app, setup } from './firebase';

export const db = getFirestore(app);

if (setup.emulators !== null) connectFirestoreEmulator(db, setup.emulators.firestore.host, setup.emulators.firestore.port);
