import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface InstalledPackage {
  name: string;
  /** The exact version installed: what a server is pinned to. */
  version: string;
  /** Host folder holding `node_modules/`, mounted read-only into the server. */
  packageDir: string;
  /** Script to run with Node, relative to `packageDir`. */
  entry: string;
}

export interface NpmInstallerOptions {
  /** Parent folder of all installs: `<dataDir>/packages`. */
  rootDir: string;
  npmCommand?: string;
  /** Where npm's progress goes (the server's log). */
  timeoutMs?: number;
}

/** `@scope/name` -> `@scope+name`: one folder level per install. */
const folderName = (name: string, version: string) => `${name.replace("/", "+")}@${version}`;

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * Installs npm packages once per version into the data folder, so a server never runs `npx` (or
 * touches the registry) when it starts. Installs are staged and renamed into place: a half-finished
 * install is never used. Install scripts are not run: a package cannot execute code on the host
 * at install time.
 */
export function createNpmInstaller(options: NpmInstallerOptions) {
  const npm = options.npmCommand ?? "npm";
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const inFlight = new Map<string, Promise<InstalledPackage>>();
  let swept = false;

  /** Staging folders left by a control plane killed mid-install (older than an hour) go. */
  async function sweepStaging() {
    if (swept) return;
    swept = true;
    const entries = await readdir(options.rootDir).catch(() => [] as string[]);
    for (const entry of entries.filter((e) => e.startsWith(".staging-"))) {
      const path = join(options.rootDir, entry);
      const info = await stat(path).catch(() => undefined);
      if (info && Date.now() - info.mtimeMs > 3_600_000)
        await rm(path, { recursive: true, force: true });
    }
  }

  async function describe(packageDir: string, name: string): Promise<InstalledPackage> {
    const manifest = JSON.parse(
      await readFile(join(packageDir, "node_modules", name, "package.json"), "utf8"),
    ) as { version: string; bin?: string | Record<string, string>; main?: string };
    return {
      name,
      version: manifest.version,
      packageDir,
      entry: join("node_modules", name, entryOf(name, manifest)),
    };
  }

  async function runNpm(args: string[], cwd: string, log: (line: string) => void): Promise<void> {
    const child = spawn(npm, args, {
      cwd,
      env: {
        ...process.env,
        npm_config_update_notifier: "false",
        npm_config_fund: "false",
        npm_config_audit: "false",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const forward = (stream: NodeJS.ReadableStream) =>
      createInterface({ input: stream }).on("line", (line) => {
        // Cache hits are noise (a hundred lines for a cached install); fetches are progress.
        if (line.trim() && !/^npm http cache .*\(cache hit\)$/.test(line)) log(line);
      });
    if (child.stdout) forward(child.stdout);
    if (child.stderr) forward(child.stderr);
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    }).finally(() => clearTimeout(timer));
    if (code !== 0) throw new Error(`npm install failed (exit code ${code}); see the log above`);
  }

  async function install(
    name: string,
    versionSpec: string,
    log: (line: string) => void,
  ): Promise<InstalledPackage> {
    if (EXACT_VERSION.test(versionSpec)) {
      const existing = join(options.rootDir, folderName(name, versionSpec));
      if (await exists(join(existing, "node_modules", name, "package.json"))) {
        log(`${name}@${versionSpec} is already installed`);
        return describe(existing, name);
      }
    }
    await sweepStaging();
    const staging = join(options.rootDir, `.staging-${randomBytes(6).toString("hex")}`);
    await mkdir(staging, { recursive: true });
    try {
      log(`installing ${name}@${versionSpec} with npm`);
      const started = Date.now();
      await runNpm(
        [
          "install",
          "--no-save",
          "--no-package-lock",
          "--prefer-offline",
          "--ignore-scripts",
          "--loglevel=http",
          "--prefix",
          staging,
          `${name}@${versionSpec}`,
        ],
        staging,
        log,
      );
      const staged = await describe(staging, name);
      const target = join(options.rootDir, folderName(name, staged.version));
      try {
        await rename(staging, target);
      } catch (err) {
        // Someone installed the same version meanwhile: theirs is as good as ours.
        if (!["ENOTEMPTY", "EEXIST"].includes((err as NodeJS.ErrnoException).code ?? "")) throw err;
      }
      log(`installed ${name}@${staged.version} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return describe(target, name);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  return {
    /** Installs `name@versionSpec` (a version, range or tag) unless that exact version is present. */
    install(
      name: string,
      versionSpec: string,
      log: (line: string) => void,
    ): Promise<InstalledPackage> {
      const key = `${name}@${versionSpec}`;
      const running = inFlight.get(key);
      if (running) return running;
      const job = install(name, versionSpec, log).finally(() => inFlight.delete(key));
      inFlight.set(key, job);
      return job;
    },
    /** The install of an exact version, if present. */
    async find(name: string, version: string): Promise<InstalledPackage | undefined> {
      const dir = join(options.rootDir, folderName(name, version));
      return (await exists(join(dir, "node_modules", name, "package.json")))
        ? describe(dir, name)
        : undefined;
    },
  };
}

export type NpmInstaller = ReturnType<typeof createNpmInstaller>;

/** The script a package runs as: its bin named after it, its only bin, its first bin, or main. */
function entryOf(
  name: string,
  manifest: { bin?: string | Record<string, string>; main?: string },
): string {
  const { bin } = manifest;
  if (typeof bin === "string") return bin;
  if (bin && Object.keys(bin).length > 0) {
    const unscoped = name.split("/").pop() as string;
    return bin[unscoped] ?? (Object.values(bin)[0] as string);
  }
  return manifest.main ?? "index.js";
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
