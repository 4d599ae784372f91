#!/usr/bin/env node
// Development: the API server (tsx watch, port 7070) and the web app (Vite, port 5173, proxying the
// API to 7070) side by side. Ctrl-C stops both; when either exits on its own, the other is stopped
// too and this script exits with the first one's status.
//
// Each child runs in its own process group, so a signal reaches everything npm started beneath it
// (sh, tsx, node, vite) rather than only npm. Stdin is not passed on: a background process group
// that reads the terminal would be stopped by the kernel.
import { spawn } from "node:child_process";

const COMMANDS = [
  ["npm", ["run", "dev", "-w", "apps/server"]],
  ["npm", ["run", "dev", "-w", "apps/web"]],
];
/** How long children may take to shut down gracefully before they are killed. */
const GRACE_MS = 12_000;

const children = COMMANDS.map(([command, args]) =>
  spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], detached: true }),
);

let exitCode;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

function stopAll(code, signal = "SIGTERM") {
  if (exitCode !== undefined) return;
  exitCode = code;
  for (const child of children) signalGroup(child, signal);
  setTimeout(() => {
    for (const child of children) signalGroup(child, "SIGKILL");
  }, GRACE_MS).unref();
}

let running = children.length;

function onGone() {
  running -= 1;
  if (running > 0) return;
  // Whatever npm left behind in its group goes with it.
  for (const child of children) signalGroup(child, "SIGKILL");
  process.exit(exitCode);
}

for (const child of children) {
  child.once("error", (err) => {
    process.stderr.write(`dev: could not start ${child.spawnargs.join(" ")}: ${err.message}\n`);
    stopAll(1);
    if (child.pid === undefined) onGone();
  });
  child.once("exit", (code) => {
    stopAll(code ?? 1);
    onGone();
  });
}

process.on("SIGINT", () => stopAll(130, "SIGINT"));
process.on("SIGTERM", () => stopAll(143, "SIGTERM"));
