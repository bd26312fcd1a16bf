import { connectStorageEmulator, getStorage } from 'firebase/storage';
import { app, setup } from './firebase';

export const storage = getStorage(app);

if (setup.emulators !== null) connectStorageEmulator(storage, setup.emulators.storage.host, setup.emulators.storage.port);
