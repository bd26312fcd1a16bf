// Development only (not deployed: firebase.json ignores lib/dev). Works out what firebase-tools needs
// to run the Java-based emulators (Firestore, the Storage rules runtime) on this machine, including
// machines without internet access, where firebase-tools cannot download its emulator JARs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root (this file is functions/src/dev or functions/lib/dev). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/** Git-ignored build folder for the JARs made here. */
export const EMULATOR_BUILD_DIR = join(REPO_ROOT, '.data', 'emulators');
/** The stand-in's JAR, as built here (rulesFraming.ts recognises it among firebase-tools' children). */
export const STANDIN_JAR = 'storage-rules-standin.jar';
/** The Java source of the Storage rules runtime stand-in (not compiled by tsc; same path from src/ and lib/). */
export const STANDIN_SOURCE = resolve(__dirname, '..', '..', 'src', 'dev', 'StorageRulesStandin.java');

/** Where the Google Cloud CLI (Debian/Ubuntu package google-cloud-cli) keeps its Firestore emulator. */
const GCLOUD_SDK_ROOT = '/usr/lib/google-cloud-sdk';
const GCLOUD_FIRESTORE_JAR = join('platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');
const FIRESTORE_MAIN_CLASS = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';
const MIN_JAVA = 11;

export interface PreparedEmulators {
  /** Variables to add to firebase-tools' environment. */
  env: Record<string, string>;
  /** Human-readable lines saying what was detected and chosen. */
  notes: string[];
  /** Warnings the caller should repeat prominently (also logged here as they are found). */
  warnings: string[];
  javaVersion: number;
  firestore: 'override' | 'cached' | 'gcloud' | 'download';
  storageRules: 'override' | 'evaluated' | 'not-evaluated';
}

export interface PrepareEmulatorsOptions {
  log?: (line: string) => void;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Where the JARs are built; defaults to .data/emulators at the repository root. */
  buildDir?: string;
}

/**
 * Returns the environment variables firebase-tools needs here, building what is missing into
 * .data/emulators/ (cached by content, so repeated calls cost nothing). Throws when Java is missing.
 */
export async function prepareEmulators(options: PrepareEmulatorsOptions = {}): Promise<PreparedEmulators> {
  const log = options.log ?? (() => {});
  const env = options.env ?? process.env;
  const buildDir = options.buildDir ?? EMULATOR_BUILD_DIR;
  const notes: string[] = [];
  const warnings: string[] = [];
  const note = (line: string) => {
    notes.push(line);
    log(line);
  };
  const warn = (line: string) => {
    warnings.push(line);
    log(`WARNING: ${line}`);
  };
  const out: Record<string, string> = {
    // firebase-tools' update check asks the npm registry from a detached process: not wanted here.
    NO_UPDATE_NOTIFIER: '1',
    // Google auth libraries would probe 169.254.169.254 for a GCE metadata server.
    METADATA_SERVER_DETECTION: 'none',
  };

  const javaVersion = detectJava(env);
  note(`Java ${javaVersion} (java on PATH)`);
  const tools = firebaseToolsInfo();
  if (tools.version) note(`firebase-tools ${tools.version}`);
  if (tools.major !== undefined && tools.major >= 15 && javaVersion < 21) {
    warn(
      `firebase-tools ${tools.version} refuses Java < 21 for the Firestore and Storage emulators; this project pins ` +
        `firebase-tools 14.27.0 (root package.json), which works with Java ${javaVersion}. Run npm install.`,
    );
  }
  const cacheDir = env.FIREBASE_EMULATORS_PATH || join(homedir(), '.cache', 'firebase', 'emulators');

  // Firestore ---------------------------------------------------------------------------------------
  let firestore: PreparedEmulators['firestore'];
  const cachedFirestore = cachedJar(cacheDir, tools.info?.firestore, 'cloud-firestore-emulator-v');
  if (env.FIRESTORE_EMULATOR_BINARY_PATH) {
    firestore = 'override';
    note(`Firestore emulator: FIRESTORE_EMULATOR_BINARY_PATH=${env.FIRESTORE_EMULATOR_BINARY_PATH} (set by you)`);
  } else if (cachedFirestore) {
    firestore = 'cached';
    note(`Firestore emulator: firebase-tools' own copy, ${cachedFirestore}`);
  } else {
    const gcloudJar = findGcloudFirestoreJar(env);
    if (gcloudJar) {
      firestore = 'gcloud';
      const wrapper = buildFirestoreWrapper(buildDir, gcloudJar, env);
      out.FIRESTORE_EMULATOR_BINARY_PATH = wrapper;
      note(`Firestore emulator: the Google Cloud CLI's ${gcloudJar}, started through ${wrapper}`);
    } else {
      firestore = 'download';
      warn(
        `no Firestore emulator found (not in ${cacheDir}, no Google Cloud CLI copy at ${join(GCLOUD_SDK_ROOT, GCLOUD_FIRESTORE_JAR)}): ` +
          'firebase-tools will download it from storage.googleapis.com, which needs internet access. Offline, install the ' +
          'Google Cloud CLI Firestore emulator (apt-get install google-cloud-cli-firestore-emulator), or with internet run ' +
          '`npx firebase setup:emulators:firestore` once, or copy ' +
          `${tools.info?.firestore?.downloadPathRelativeToCacheDir ?? 'cloud-firestore-emulator-v*.jar'} into ${cacheDir}.`,
      );
    }
  }

  // Storage rules runtime ---------------------------------------------------------------------------
  let storageRules: PreparedEmulators['storageRules'];
  const cachedRules = cachedJar(cacheDir, tools.info?.storage, 'cloud-storage-rules-runtime-v');
  if (env.STORAGE_EMULATOR_BINARY_PATH) {
    storageRules = 'override';
    note(`Storage rules runtime: STORAGE_EMULATOR_BINARY_PATH=${env.STORAGE_EMULATOR_BINARY_PATH} (set by you)`);
  } else if (cachedRules) {
    storageRules = 'evaluated';
    note(`Storage rules runtime: firebase-tools' own copy, ${cachedRules}: storage.rules are evaluated`);
  } else {
    storageRules = 'not-evaluated';
    const standin = buildStorageRulesStandin(buildDir, env);
    out.STORAGE_EMULATOR_BINARY_PATH = standin;
    note(`Storage rules runtime: stand-in ${standin} (the real one is not in ${cacheDir})`);
    warn(
      '*** storage.rules are NOT EVALUATED in this run: the Storage emulator uses a stand-in that ALLOWS EVERY REQUEST. ***\n' +
        '    Nothing about storage.rules can be concluded from it. With internet access, run `npx firebase setup:emulators:storage`\n' +
        `    once: it downloads the real rules runtime into ${cacheDir}, and later runs use it.`,
    );
  }

  return { env: out, notes, warnings, javaVersion, firestore, storageRules };
}

/** The major version of `java` on PATH; throws with installation advice when it is missing or too old. */
export function detectJava(env: NodeJS.ProcessEnv = process.env): number {
  const run = spawnSync('java', ['-version'], { encoding: 'utf8', env: { ...env, JAVA_TOOL_OPTIONS: '' } });
  const advice =
    'The Firestore and Storage emulators need Java 11 or newer on PATH (firebase-tools runs `java`). ' +
    'Install a JRE, e.g. on Debian/Ubuntu: sudo apt-get install openjdk-17-jre-headless ' +
    '(openjdk-17-jdk-headless also brings javac and jar, which this project uses to build emulator helpers).';
  if (run.error || run.status !== 0) {
    throw new Error(`Java not found: ${run.error?.message ?? (run.stderr || `java -version exited with ${run.status}`).trim()}. ${advice}`);
  }
  const text = `${run.stderr}\n${run.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  if (!match) throw new Error(`Could not read the Java version from \`java -version\`:\n${text.trim()}\n${advice}`);
  const major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major < MIN_JAVA) throw new Error(`Java ${major} is too old. ${advice}`);
  return major;
}

interface DownloadInfo {
  downloadPathRelativeToCacheDir?: string;
}

/** The installed firebase-tools' version and the emulator file names it expects in its cache. */
function firebaseToolsInfo(): { version?: string; major?: number; info?: Record<string, DownloadInfo> } {
  try {
    const pkgPath = require.resolve('firebase-tools/package.json', { paths: [REPO_ROOT] });
    const version = (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
    const infoPath = join(pkgPath, '..', 'lib', 'emulator', 'downloadableEmulatorInfo.json');
    const info = existsSync(infoPath) ? (JSON.parse(readFileSync(infoPath, 'utf8')) as Record<string, DownloadInfo>) : undefined;
    return { version, major: Number(version.split('.')[0]), info };
  } catch {
    return {};
  }
}

/** The emulator JAR firebase-tools would use from its cache, if it is there. */
function cachedJar(cacheDir: string, info: DownloadInfo | undefined, prefix: string): string | undefined {
  if (info?.downloadPathRelativeToCacheDir) {
    const file = join(cacheDir, info.downloadPathRelativeToCacheDir);
    return existsSync(file) ? file : undefined;
  }
  // Unknown firebase-tools layout: accept any version that is there.
  if (!existsSync(cacheDir)) return undefined;
  const found = readdirSync(cacheDir).find((name) => name.startsWith(prefix) && name.endsWith('.jar'));
  return found ? join(cacheDir, found) : undefined;
}

function findGcloudFirestoreJar(env: NodeJS.ProcessEnv): string | undefined {
  const fixed = join(GCLOUD_SDK_ROOT, GCLOUD_FIRESTORE_JAR);
  if (existsSync(fixed)) return fixed;
  if (!onPath('gcloud', env)) return undefined;
  const run = spawnSync('gcloud', ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8', env, timeout: 20_000 });
  const root = run.status === 0 ? run.stdout.trim() : '';
  const jar = root ? join(root, GCLOUD_FIRESTORE_JAR) : '';
  return jar && existsSync(jar) ? jar : undefined;
}

/**
 * The Google Cloud CLI's Firestore emulator JAR has no Main-Class, so `java -jar` (how firebase-tools
 * starts it) cannot run it. A JAR holding only a manifest that names the main class and puts the
 * real JAR on the class path can.
 */
function buildFirestoreWrapper(buildDir: string, gcloudJar: string, env: NodeJS.ProcessEnv): string {
  const manifest = `Manifest-Version: 1.0\nMain-Class: ${FIRESTORE_MAIN_CLASS}\nClass-Path: ${pathToFileURL(gcloudJar).href}\n`;
  return cachedBuild(buildDir, 'firestore-wrapper.jar', manifest, (tmp, target) => {
    writeFileSync(join(tmp, 'MANIFEST.MF'), manifest);
    // `jar` wraps manifest lines at 72 bytes as the JAR format requires.
    runTool(jdkTool('jar', env), ['cfm', target, join(tmp, 'MANIFEST.MF')], env);
  });
}

function buildStorageRulesStandin(buildDir: string, env: NodeJS.ProcessEnv): string {
  const source = readFileSync(STANDIN_SOURCE, 'utf8');
  return cachedBuild(buildDir, STANDIN_JAR, `--release 11\n${source}`, (tmp, target) => {
    const classes = join(tmp, 'classes');
    mkdirSync(classes);
    runTool(jdkTool('javac', env), ['--release', String(MIN_JAVA), '-d', classes, STANDIN_SOURCE], env);
    runTool(jdkTool('jar', env), ['cfe', target, 'StorageRulesStandin', '-C', classes, '.'], env);
  });
}

/**
 * Builds `name` into buildDir unless a build from the same inputs (hashed into name.key) is there.
 * Builds in a temporary folder and renames, so concurrent runs never see half a JAR.
 */
function cachedBuild(buildDir: string, name: string, inputs: string, build: (tmp: string, target: string) => void): string {
  const target = join(buildDir, name);
  const keyFile = `${target}.key`;
  const key = createHash('sha256').update(inputs).digest('hex');
  if (existsSync(target) && existsSync(keyFile) && readFileSync(keyFile, 'utf8').trim() === key) return target;
  mkdirSync(buildDir, { recursive: true });
  const tmp = mkdtempSync(join(buildDir, `.${name}-`));
  try {
    const built = join(tmp, name);
    build(tmp, built);
    renameSync(built, target);
    writeFileSync(keyFile, `${key}\n`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return target;
}

function jdkTool(name: 'jar' | 'javac', env: NodeJS.ProcessEnv): string {
  const fromHome = env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', name) : undefined;
  if (fromHome && existsSync(fromHome)) return fromHome;
  if (onPath(name, env)) return name;
  throw new Error(
    `\`${name}\` not found: building the emulator helper JARs in ${EMULATOR_BUILD_DIR} needs a JDK, not only a JRE ` +
      '(Debian/Ubuntu: sudo apt-get install openjdk-17-jdk-headless).',
  );
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): void {
  const run = spawnSync(command, args, { encoding: 'utf8', env: { ...env, JAVA_TOOL_OPTIONS: '' } });
  if (run.error || run.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed: ${run.error?.message ?? `${run.stderr}${run.stdout}`.trim()}`);
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, name)));
}
