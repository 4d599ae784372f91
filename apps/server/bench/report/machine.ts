import { execFileSync } from "node:child_process";
import { cpus, release, totalmem } from "node:os";

/** The machine a run was measured on: figures from different machines are not comparable. */
export interface Machine {
  cores: number;
  cpuModel: string;
  memoryBytes: number;
  node: string;
  os: string;
  gitCommit: string | undefined;
  /** Uncommitted changes were measured too. */
  gitDirty: boolean;
  nginx: string | undefined;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync("git", args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

export function describeMachine(repoRoot: string, nginx: string | undefined): Machine {
  const cpuList = cpus();
  return {
    cores: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    node: process.version,
    os: `${process.platform} ${release()}`,
    gitCommit: git(["rev-parse", "HEAD"], repoRoot)?.trim(),
    gitDirty: (git(["status", "--porcelain"], repoRoot) ?? "").trim() !== "",
    nginx,
  };
}

/** `2 cores (AMD EPYC 7B13), 23.5 GiB, Node v20.20.0, linux 6.1.0, commit 6963627 (+ changes)` */
export function machineLine(m: Machine): string {
  const gib = (m.memoryBytes / 2 ** 30).toFixed(1);
  const commit = m.gitCommit
    ? `commit ${m.gitCommit.slice(0, 7)}${m.gitDirty ? " (+ uncommitted changes)" : ""}`
    : "no git commit";
  return [
    `${m.cores} cores (${m.cpuModel})`,
    `${gib} GiB`,
    `Node ${m.node}`,
    m.os,
    ...(m.nginx ? [`nginx ${m.nginx}`] : []),
    commit,
  ].join(", ");
}
