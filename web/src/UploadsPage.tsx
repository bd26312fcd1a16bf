import type { User } from 'firebase/auth';
import { useMemo } from 'react';
import { useTitle } from './title';
import { storageSender } from './upload/storageSend';
import { UploadPanel } from './upload/UploadPanel';
import { downloadSql } from './uploads/sqlDownload';
import { UploadList } from './uploads/UploadList';
import { useUploadList } from './uploads/useUploadList';

/** Upload panel + live list of the organisation's uploads, wired to Storage and Firestore (a chunk of its own). */
export default function UploadsPage({ user, org }: { user: User; org: string }) {
  const send = useMemo(() => storageSender(org, user.uid), [org, user.uid]);
  const list = useUploadList(org);
  useTitle('Uploads');
  return (
    <div className="uploads-page">
      <UploadPanel send={send} />
      <UploadList {...list} downloadSql={downloadSql} />
    </div>
  );
}
