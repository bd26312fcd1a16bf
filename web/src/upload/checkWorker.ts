/// <reference lib="webworker" />
import { checkFile } from './fileCheck';

// One file per worker: it reads the file in the background (a 500 MB file takes a while) and says
// how far it got at most every PROGRESS_MS, so the page stays responsive.
const PROGRESS_MS = 100;

export type CheckMessage = { type: 'progress'; read: number } | { type: 'done'; check: Awaited<ReturnType<typeof checkFile>> } | { type: 'failed'; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = async (event: MessageEvent<File>) => {
  let last = 0;
  const post = (message: CheckMessage) => scope.postMessage(message);
  try {
    const check = await checkFile(event.data, (read) => {
      const now = Date.now();
      if (now - last < PROGRESS_MS) return;
      last = now;
      post({ type: 'progress', read });
    });
    post({ type: 'done', check });
  } catch (error) {
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};
