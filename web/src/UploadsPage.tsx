import type { User } from 'firebase/auth';
import { useMemo } from 'react';
import { apiClient } from './apiClient';
import { useTitle } from './title';
import { storageSender } from './upload/storageSend';
import { UploadPanel } from './upload/UploadPanel';
import { Overview, useOverview } from './uploads/Overview';
import { downloadSql, sqlSize } from './uploads/sqlDownload';
import { UploadList } from './uploads/UploadList';
import { useUploadList } from './uploads/useUploadList';

/** The overview, the upload panel and the live list of the organisation's uploads, wired to the API, Storage and Firestore (a chunk of its own). */
export default function UploadsPage({ user, org }: { user: User; org: string }) {
  const send = useMemo(() => storageSender(org, user.uid), [org, user.uid]);
  const list = useUploadList(org);
  useTitle('Uploads');
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  // Refreshed as uploads move: a new one, one done, one failed.
  const overview = useOverview(get, list.uploads.map((upload) => `${upload.id}:${upload.status}`).join(','));
  return (
    <div className="uploads-page">
      <Overview overview={overview} />
      <UploadPanel send={send} />
      <UploadList {...list} downloadSql={downloadSql} sqlSize={sqlSize} />
    </div>
  );
}
