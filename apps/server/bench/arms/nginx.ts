import { execFile } from "node:child_process";
import { access, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Arm, ArmSkipped, type Upstream } from "./arm.js";
import { freePort, startChild } from "./child-process.js";

/** Where Debian's `nginx` package puts the binary; /usr/sbin is not on every user's PATH. */
async function findNginx(): Promise<string | undefined> {
  const dirs = [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"];
  for (const dir of dirs.filter(Boolean)) {
    const candidate = join(dir, "nginx");
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  return undefined;
}

/** `nginx version: nginx/1.22.1`, for the results' machine line. */
export async function nginxVersion(): Promise<string | undefined> {
  const nginx = await findNginx();
  if (!nginx) return undefined;
  const { stderr } = await promisify(execFile)(nginx, ["-v"]);
  return /nginx\/(\S+)/.exec(stderr)?.[1];
}

/**
 * The reference configuration: a plain reverse proxy as one would write it for an MCP server.
 * One worker, like the gateway's one Node process; HTTP/1.1 with kept-alive upstream connections;
 * no response buffering, so SSE flows through as it comes; an access log line per request, as the
 * gateway writes one. keepalive_requests is raised from its default 1000 so neither side recycles
 * connections mid-measurement (Node never does).
 */
export function nginxConfig(options: { dir: string; listen: number; upstream: URL }): string {
  const { dir } = options;
  return `worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr notice;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream mcp {
    server ${options.upstream.host};
    keepalive 1024;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${options.listen};
    location / {
      proxy_pass http://mcp;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_read_timeout 300s;
    }
  }
}
`;
}

/** A3: nginx in front of A1, the plain-proxy reference the gateway's overhead is compared with. */
export function nginxArm(upstream: Upstream, workDir: string): Arm {
  return {
    name: "A3",
    label: "nginx → A1",
    async start() {
      const nginx = await findNginx();
      if (!nginx) throw new ArmSkipped("nginx is not installed (Debian: apt-get install nginx)");
      const dir = join(workDir, "a3-nginx");
      await mkdir(dir, { recursive: true });
      const listen = await freePort();
      const upstreamUrl = new URL(upstream.url);
      const conf = join(dir, "nginx.conf");
      await writeFile(conf, nginxConfig({ dir, listen, upstream: upstreamUrl }));
      const child = await startChild({
        command: nginx,
        // -e: the error log from the first instant, before the config (and its error_log) is read.
        args: ["-p", dir, "-c", conf, "-e", "stderr", "-g", "daemon off;"],
        env: { PATH: process.env.PATH },
        logFile: join(dir, "nginx.out"),
        ready: /start worker process/,
      });
      return {
        url: `http://127.0.0.1:${listen}${upstreamUrl.pathname}`,
        headers: {},
        pid: child.pid,
        // nginx's master exits on SIGTERM after its worker ("fast shutdown").
        close: () => child.stop(),
      };
    },
  };
}
