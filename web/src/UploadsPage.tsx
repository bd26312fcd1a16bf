import type { User } from 'firebase/auth';
import { useMemo } from 'react';
import { storageSender } from './upload/storageSend';
import { UploadPanel } from './upload/UploadPanel';
import { sqlDownloadUrl } from './uploads/sqlUrl';
import { UploadList } from './uploads/UploadList';
import { useUploadList } from './uploads/useUploadList';

/** Upload panel + live list, wired to Storage and Firestore (a chunk of its own, loaded after sign-in). */
export default function UploadsPage({ user }: { user: User }) {
  const send = useMemo(() => storageSender(user.uid), [user.uid]);
  const list = useUploadList(user.uid);
  return (
    <div className="uploads-page">
      <UploadPanel send={send} />
      <UploadList {...list} resolveSqlUrl={sqlDownloadUrl} />
    </div>
  );
}
