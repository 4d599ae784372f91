# Sourced by .ci/run (and usable by hand: `source .ci/postgres.sh`): makes sure a local PostgreSQL
# cluster is running and exports TEST_POSTGRES_URL, an admin URL tests use to create their databases.
pg_version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^${pg_version} main"; then
  pg_createcluster "$pg_version" main >/dev/null
fi
if ! pg_lsclusters -h | grep -q "^${pg_version} main .* online"; then
  pg_ctlcluster "$pg_version" main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
# A known password for the superuser over TCP; the cluster only listens on localhost.
su postgres -c "psql -q -c \"alter user postgres password 'postgres'\"" >/dev/null
TEST_POSTGRES_URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
export TEST_POSTGRES_URL
