import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { round, timed } from './report';

/**
 * The page's pre-check (web/src/upload/checkWorker.ts, the nem12 package in a Web Worker) of a big
 * file in headless Chromium, against `nem12 check` of the same file on the same machine (target
 * within 2x), and how long the page's main thread was ever kept from a 20 ms timer meanwhile (the
 * worker does the work: the page stays responsive).
 */
const WEB_DIST = resolve(__dirname, '..', '..', '..', 'web', 'dist');
const NEM12_BIN = resolve(__dirname, '..', '..', 'bin', 'nem12.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

export async function benchBrowser(file: string, log: (line: string) => void) {
  if (!existsSync(CHROMIUM)) {
    log(`browser skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)`);
    return { skipped: `no Chromium at ${CHROMIUM}` };
  }
  if (!existsSync(join(WEB_DIST, 'assets'))) execFileSync('npm', ['run', 'build', '-w', 'web'], { cwd: resolve(WEB_DIST, '..', '..'), stdio: 'ignore' });
  const worker = readdirSync(join(WEB_DIST, 'assets')).find((name) => /^checkWorker-.*\.js$/.test(name));
  if (worker === undefined) throw new Error(`no checkWorker-*.js in ${WEB_DIST}/assets: rebuild the page (npm run build -w web)`);

  const checkMs = await timed(async () => {
    execFileSync(process.execPath, [NEM12_BIN, 'check', file, '--json'], { stdio: 'ignore', maxBuffer: 1 << 30 });
  });
  const server = await serve();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    const { port } = server.address() as { port: number };
    await page.goto(`http://127.0.0.1:${port}/bench.html`);
    await page.setInputFiles('input', file);
    const result = (await page.evaluate(`(${IN_PAGE})(${JSON.stringify(`/assets/${worker}`)})`)) as InPage;
    if (result.answer.type !== 'done' || !result.answer.check?.ok) throw new Error(`the pre-check did not pass the file: ${JSON.stringify(result.answer).slice(0, 300)}`);
    const figures = {
      fileMB: round(statSync(file).size / 1e6),
      readings: result.answer.check.readings,
      browserCheckMs: round(result.ms),
      nem12CheckMs: round(checkMs),
      ratio: round(result.ms / checkMs, 2),
      longestMainThreadPauseMs: round(result.longestPauseMs),
      target: 'pre-check <= 2x nem12 check',
    };
    log(`browser ${figures.fileMB} MB in headless Chromium (Web Worker): ${figures.browserCheckMs} ms vs nem12 check ${figures.nem12CheckMs} ms = ${figures.ratio}x  [target <= 2x]; the page's longest pause meanwhile ${figures.longestMainThreadPauseMs} ms`);
    return figures;
  } finally {
    await browser.close();
    server.close();
  }
}

interface InPage {
  ms: number;
  longestPauseMs: number;
  answer: { type: string; check?: { readings: number; ok: boolean }; message?: string };
}

/**
 * Run in the page (plain JavaScript: this workspace has no DOM types): the chosen file to a worker
 * of the built checkWorker script, timed; meanwhile the main thread's longest wait past a 20 ms timer
 * (a page blocked by the check would show here).
 */
const IN_PAGE = `async (script) => {
  const chosen = document.querySelector('input').files[0];
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 20);
    last = now;
  }, 20);
  const started = performance.now();
  const answer = await new Promise((done) => {
    const checker = new Worker(script, { type: 'module' });
    checker.onmessage = (event) => {
      if (event.data.type === 'progress') return;
      checker.terminate();
      done(event.data);
    };
    checker.onerror = (event) => done({ type: 'failed', message: event.message });
    checker.postMessage(chosen);
  });
  const ms = performance.now() - started;
  clearInterval(ticker);
  return { ms, longestPauseMs: longest, answer };
}`;

/** The built page's assets and a bare page with a file input, on a free port of 127.0.0.1. */
async function serve(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/bench.html') {
      response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>pre-check bench</title><input type="file">');
      return;
    }
    const target = resolve(WEB_DIST, `.${path}`);
    if (!target.startsWith(WEB_DIST) || !existsSync(target) || !statSync(target).isFile()) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream' }).end(readFileSync(target));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}
