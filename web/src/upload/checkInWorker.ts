import type { CheckMessage } from './checkWorker';
import type { FileCheck } from './fileCheck';

/** Checks a file, reporting bytes read; rejects when the check cannot run or `signal` aborts it. */
export type CheckFile = (file: File, onProgress: (read: number) => void, signal: AbortSignal) => Promise<FileCheck>;

/** The page's checker: fileCheck.ts in a Web Worker of its own, ended when done or aborted. */
export const checkInWorker: CheckFile = (file, onProgress, signal) =>
  new Promise<FileCheck>((resolve, reject) => {
    const worker = new Worker(new URL('./checkWorker.ts', import.meta.url), { type: 'module' });
    const end = () => {
      worker.terminate();
      signal.removeEventListener('abort', abort);
    };
    const abort = () => {
      end();
      reject(new Error('the check was cancelled'));
    };
    signal.addEventListener('abort', abort);
    worker.onmessage = (event: MessageEvent<CheckMessage>) => {
      const message = event.data;
      if (message.type === 'progress') return onProgress(message.read);
      end();
      if (message.type === 'done') resolve(message.check);
      else reject(new Error(message.message));
    };
    worker.onerror = (event) => {
      end();
      reject(new Error(event.message || 'the check could not run'));
    };
    worker.postMessage(file);
  });
