import { access, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { LaunchFacts } from "./instance-scan.js";

/**
 * A small JSON file per instance in the state folder. Live instances are found in /proc (see
 * instance-scan.ts); the record is what remains of one that exited while no control plane was
 * watching, so `list`/`inspect` still report it as exited (like a stopped container) and `remove`
 * can clean up after it. Deleted by `remove`.
 */
export interface InstanceRecord extends LaunchFacts {
  instanceId: string;
  labels: Record<string, string>;
  startedAt: string;
  exit?: { exitCode: number | null; reason?: string | undefined } | undefined;
}

export function createRecordStore(stateDir: string) {
  const dir = join(stateDir, "instances");
  const fileOf = (instanceId: string) => join(dir, `${instanceId}.json`);

  return {
    async write(record: InstanceRecord): Promise<void> {
      await mkdir(dir, { recursive: true });
      // Write-then-rename, so a crash never leaves a half-written record behind.
      const temporary = `${fileOf(record.instanceId)}.tmp`;
      await writeFile(temporary, JSON.stringify(record));
      await rename(temporary, fileOf(record.instanceId));
    },

    async readAll(): Promise<InstanceRecord[]> {
      const names = await readdir(dir).catch(() => [] as string[]);
      const records = await Promise.all(
        names
          .filter((name) => name.endsWith(".json"))
          .map((name) =>
            readFile(join(dir, name), "utf8")
              .then((text) => JSON.parse(text) as InstanceRecord)
              .catch(() => undefined),
          ),
      );
      return records.filter((r): r is InstanceRecord => r !== undefined);
    },

    /** Whether a record of this instance exists (one file looked up; no folder read). */
    async has(instanceId: string): Promise<boolean> {
      return access(fileOf(instanceId)).then(
        () => true,
        () => false,
      );
    },

    async delete(instanceId: string): Promise<void> {
      await rm(fileOf(instanceId), { force: true });
    },
  };
}

export type RecordStore = ReturnType<typeof createRecordStore>;
