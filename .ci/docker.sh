# Sourced by .ci/run (or by hand): makes sure a Docker engine answers on the default socket.
if ! docker info >/dev/null 2>&1; then
  nohup dockerd >/tmp/mcphost-ci-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
fi
if ! docker info >/dev/null 2>&1; then
  echo "dockerd did not start; its log:" >&2
  tail -50 /tmp/mcphost-ci-dockerd.log >&2 || true
  exit 1
fi
echo "Docker engine $(docker version --format '{{.Server.Version}}') is up"
