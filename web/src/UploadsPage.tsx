import type { User } from 'firebase/auth';
import { useCallback, useMemo } from 'react';
import { apiClient } from './apiClient';
import { useTitle } from './title';
import { checkInWorker } from './upload/checkInWorker';
import { storageSender } from './upload/storageSend';
import { UploadPanel } from './upload/UploadPanel';
import { uploadPathOf } from './upload/validateFile';
import { Overview, overviewRefreshOf, useOverview } from './uploads/Overview';
import { downloadSql, sqlSize } from './uploads/sqlDownload';
import { UploadList } from './uploads/UploadList';
import { useSentUploads } from './uploads/useSentUploads';
import { useUploadList } from './uploads/useUploadList';

/** The overview, the upload panel and the live list of the organisation's uploads, wired to the API, Storage and Firestore (a chunk of its own). */
export default function UploadsPage({ user, org }: { user: User; org: string }) {
  const send = useMemo(() => storageSender(org, user.uid), [org, user.uid]);
  const list = useUploadList(org);
  // A file sent shows in the list at once; its status document replaces it when the trigger writes it.
  const pathOf = useCallback((fileName: string) => uploadPathOf(org, user.uid, fileName), [org, user.uid]);
  const { sent, onSent, dismiss, waitMs } = useSentUploads(list.uploads, pathOf);
  useTitle('Uploads');
  const get = useMemo(() => apiClient(() => user.getIdToken()), [user]);
  // Refreshed as uploads move: a new one, one done, one failed.
  const overview = useOverview(get, overviewRefreshOf(list.uploads));
  return (
    <div className="uploads-page">
      <Overview overview={overview} />
      <UploadPanel send={send} onSent={onSent} check={checkInWorker} />
      <UploadList {...list} sent={sent} statusWaitMs={waitMs} onDismissSent={dismiss} downloadSql={downloadSql} sqlSize={sqlSize} />
    </div>
  );
}
