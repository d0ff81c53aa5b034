#!/usr/bin/env bash
# Checks that the files under deploy/ are valid to the programs that will read them, in a few
# seconds and without starting anything but a dummy listener:
#
#   - the Patroni files parse as YAML, differ only in the member's own values, keep the
#     settings rekap relies on (synchronous replication, pg_rewind, failover timing), and pass
#     `patroni --validate-config` (Patroni 3.0.2);
#   - the etcd files set only options etcd knows and describe the same three-member cluster;
#   - haproxy.cfg passes `haproxy -c`, and points at the same addresses and ports as Patroni;
#   - rekap.service passes `systemd-analyze verify` (skipped, saying so, without it);
#   - the shell scripts parse.
#
# Exits non-zero, naming every failed check, if any fails.
#
#   tests/deploy/validate.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
deploy=$root/deploy
py=/usr/bin/python3 # Debian's, which has the yaml module (python3-yaml, a dependency of patroni)

failures=()
fail() {
  echo "deploy_validate: FAIL: $*" >&2
  failures+=("$*")
}
ok() { echo "deploy_validate: ok: $*"; }

# The programs, or the Debian package that has them.
missing=()
for tool in patroni:patroni haproxy:haproxy etcd:etcd-server "$py":python3-yaml; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
[ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
if [ ${#missing[@]} -eq 0 ] && ! "$py" -c 'import yaml' 2>/dev/null; then missing+=(python3-yaml); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deploy_validate: missing Debian packages: ${missing[*]} (apt-get install ${missing[*]}, or scripts/setup.sh)" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rekap-deploy-validate.XXXXXX")
listener=""
cleanup() {
  [ -z "$listener" ] || kill "$listener" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# 1. Structure and consistency, read by a YAML parser.
if "$py" - "$deploy" <<'PY'; then ok "YAML and consistency of deploy/patroni, deploy/etcd, deploy/haproxy"; else fail "YAML and consistency (above)"; fi
import copy, re, sys, yaml

deploy = sys.argv[1]
errors = []
def err(msg):
    errors.append(msg)
    print("  " + msg, file=sys.stderr)

# Each machine's address, as its etcd member listens on it (10.0.0.11-13 as shipped, the
# site's once replaced); everything else must agree with these.
members = {}
for name in ("db-a", "db-b", "arbiter"):
    with open(f"{deploy}/etcd/{name}.env") as f:
        m = re.search(r'^ETCD_LISTEN_PEER_URLS="http://([0-9.]+):2380"$', f.read(), re.M)
    if not m:
        err(f"etcd/{name}.env: no ETCD_LISTEN_PEER_URLS=\"http://ADDRESS:2380\"")
        sys.exit(1)
    members[name] = m.group(1)
nodes = {n: members[n] for n in ("db-a", "db-b")}
conf = {}
for name in nodes:
    path = f"{deploy}/patroni/{name}.yml"
    try:
        with open(path) as f:
            conf[name] = yaml.safe_load(f)
    except Exception as e:
        err(f"{path}: not valid YAML: {e}")
if len(conf) != len(nodes):
    sys.exit(1)

# The two members differ only in their own name and addresses.
def common(c):
    c = copy.deepcopy(c)
    del c["name"], c["restapi"]["connect_address"], c["postgresql"]["connect_address"]
    return c
if common(conf["db-a"]) != common(conf["db-b"]):
    err("patroni/db-a.yml and db-b.yml differ in more than name and connect_address")

for name, ip in nodes.items():
    c, where = conf[name], f"patroni/{name}.yml"
    if c.get("name") != name:
        err(f"{where}: name is {c.get('name')!r}, expected {name!r}")
    for section, port in (("restapi", 8008), ("postgresql", 5432)):
        if c[section].get("connect_address") != f"{ip}:{port}":
            err(f"{where}: {section}.connect_address is not {ip}:{port}")

c = conf["db-a"]
dcs = c["bootstrap"]["dcs"]
ttl, loop_wait, retry = dcs.get("ttl", 30), dcs.get("loop_wait", 10), dcs.get("retry_timeout", 10)
if loop_wait + 2 * retry > ttl:
    err(f"bootstrap.dcs: loop_wait + 2 * retry_timeout = {loop_wait + 2 * retry} > ttl = {ttl} (Patroni requires <=)")
if ttl < 20:
    err(f"bootstrap.dcs.ttl = {ttl}: Patroni documents 20 as the smallest ttl (3.2 and later enforce it)")
if ttl + loop_wait >= 30:
    err(f"bootstrap.dcs: ttl + loop_wait = {ttl + loop_wait}: a failover would not be well under 30 s")
if dcs.get("synchronous_mode") is not True:
    err("bootstrap.dcs.synchronous_mode must be true (one synchronous standby)")
if not isinstance(dcs.get("synchronous_mode_strict"), bool):
    err("bootstrap.dcs.synchronous_mode_strict must be set, true or false")
if dcs.get("synchronous_node_count", 1) != 1:
    err("bootstrap.dcs.synchronous_node_count must be 1")
pg = dcs.get("postgresql", {})
if pg.get("use_pg_rewind") is not True:
    err("bootstrap.dcs.postgresql.use_pg_rewind must be true")
if str(pg.get("parameters", {}).get("synchronous_commit")) != "on":
    err('bootstrap.dcs.postgresql.parameters.synchronous_commit must be "on"')
if not isinstance(dcs.get("maximum_lag_on_failover"), int):
    err("bootstrap.dcs.maximum_lag_on_failover must be set")
hba = [" ".join(l.split()) for l in pg.get("pg_hba", [])]
for ip in nodes.values():
    for line in (f"host replication replicator {ip}/32 scram-sha-256",
                 f"host postgres rewind {ip}/32 scram-sha-256"):
        if line not in hba:
            err(f"bootstrap.dcs.postgresql.pg_hba lacks '{line}'")
for ip in members.values():
    line = f"host rekap rekap {ip}/32 scram-sha-256"
    if line not in hba:
        err(f"bootstrap.dcs.postgresql.pg_hba lacks '{line}'")
auth = c["postgresql"]["authentication"]
for role in ("superuser", "replication", "rewind"):
    if "password" in auth.get(role, {}):
        err(f"postgresql.authentication.{role}: a password in the file; it belongs in /etc/patroni/env.conf")
if c["bootstrap"].get("post_bootstrap") != "/etc/patroni/rekap-post-bootstrap.sh":
    err("bootstrap.post_bootstrap must be /etc/patroni/rekap-post-bootstrap.sh")

# etcd: known members, one cluster.
clusters, clients = set(), []
for name, ip in members.items():
    path = f"{deploy}/etcd/{name}.env"
    env = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            m = re.fullmatch(r'([A-Z0-9_]+)="([^"]*)"', line)
            if not m:
                err(f"etcd/{name}.env:{n}: not KEY=\"value\": {line}")
                continue
            env[m.group(1)] = m.group(2)
    if env.get("ETCD_NAME") != name:
        err(f"etcd/{name}.env: ETCD_NAME is not {name}")
    for key, want in (("ETCD_LISTEN_PEER_URLS", f"http://{ip}:2380"),
                      ("ETCD_INITIAL_ADVERTISE_PEER_URLS", f"http://{ip}:2380"),
                      ("ETCD_LISTEN_CLIENT_URLS", f"http://{ip}:2379"),
                      ("ETCD_ADVERTISE_CLIENT_URLS", f"http://{ip}:2379")):
        if env.get(key) != want:
            err(f"etcd/{name}.env: {key} is not {want}")
    clusters.add(env.get("ETCD_INITIAL_CLUSTER"))
    clients.append(f"{ip}:2379")
want = ",".join(f"{n}=http://{ip}:2380" for n, ip in members.items())
if clusters != {want}:
    err(f"etcd/*.env: ETCD_INITIAL_CLUSTER differs between members or is not {want}")
if c["etcd3"]["hosts"] != ",".join(clients):
    err(f"patroni etcd3.hosts is not {','.join(clients)}")

# haproxy: one server per database machine, its PostgreSQL port, its Patroni REST port.
with open(f"{deploy}/haproxy/haproxy.cfg") as f:
    servers = re.findall(r"^\s*server\s+(\S+)\s+(\S+)\s.*check port (\d+)", f.read(), re.M)
if sorted(servers) != sorted((n, f"{ip}:5432", "8008") for n, ip in nodes.items()):
    err(f"haproxy.cfg servers {servers} are not db-a/db-b at :5432 checked on :8008")

sys.exit(1 if errors else 0)
PY

# 2. Patroni's own validator. It wants what it checks to exist on this machine: etcd reachable,
# the listen ports free, the data directory empty or a cluster of the same version. In a copy,
# etcd3.hosts becomes a dummy listener on loopback, the two listen ports free ones, data_dir a
# directory that does not exist; everything else is the shipped file.
free_ports() {
  "$py" -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}
read -r etcd_port api_port pg_port < <(free_ports 3)
"$py" -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); time.sleep(60)' "$etcd_port" &
listener=$!
for _ in $(seq 50); do
  "$py" -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.2)' "$etcd_port" 2>/dev/null && break
  sleep 0.1
done
validate_patroni() { # FILE -> patroni --validate-config's exit status; its output on stderr
  env -i PATH=/usr/bin:/bin patroni --validate-config "$1" 2>&1 | sed 's/^/  /' >&2
  return "${PIPESTATUS[0]}"
}
for node in db-a db-b; do
  copy=$tmp/$node.yml
  sed -e "s#^  hosts: .*#  hosts: 127.0.0.1:$etcd_port#" \
    -e "s#^  listen: 0\.0\.0\.0:8008\$#  listen: 127.0.0.1:$api_port#" \
    -e "s#^  listen: 0\.0\.0\.0:5432\$#  listen: 127.0.0.1:$pg_port#" \
    -e "s#^  data_dir: /var/lib/postgresql/15/main\$#  data_dir: $tmp/$node-data#" \
    "$deploy/patroni/$node.yml" >"$copy"
  if [ "$(diff "$deploy/patroni/$node.yml" "$copy" | grep -c '^>')" -ne 4 ]; then
    fail "patroni/$node.yml: the copy for the validator did not replace etcd3.hosts, both listen lines and data_dir (did their lines change?)"
  elif validate_patroni "$copy"; then
    ok "patroni --validate-config deploy/patroni/$node.yml"
  else
    fail "patroni --validate-config deploy/patroni/$node.yml (above)"
  fi
done
# The validator must be able to fail: a copy without scope and with a wrong bin_dir.
sed -e '/^scope:/d' -e "s#^  bin_dir: .*#  bin_dir: $tmp/no-such-dir#" "$tmp/db-a.yml" >"$tmp/broken.yml"
if validate_patroni "$tmp/broken.yml" 2>/dev/null; then
  fail "patroni --validate-config accepted a file without scope and with a missing bin_dir: it checks nothing"
else
  ok "patroni --validate-config refuses a broken copy"
fi

# 3. etcd knows every option the files set (ETCD_FOO_BAR is the flag --foo-bar).
flags=$(etcd --help 2>&1 | grep -oE '^\s+--[a-z0-9-]+' | tr -d ' ')
for f in "$deploy"/etcd/*.env; do
  bad=""
  for var in $(grep -oE '^ETCD_[A-Z0-9_]+' "$f"); do
    flag=--$(echo "${var#ETCD_}" | tr 'A-Z_' 'a-z-')
    grep -qx -- "$flag" <<<"$flags" || bad="$bad $var"
  done
  if [ -n "$bad" ]; then fail "deploy/etcd/${f##*/}: options etcd $(etcd --version | awk 'NR==1{print $3}') does not know:$bad"; else ok "etcd options of deploy/etcd/${f##*/}"; fi
done

# 4. haproxy's own check.
if out=$(haproxy -c -f "$deploy/haproxy/haproxy.cfg" 2>&1); then
  ok "haproxy -c -f deploy/haproxy/haproxy.cfg"
else
  echo "$out" | sed 's/^/  /' >&2
  fail "haproxy -c -f deploy/haproxy/haproxy.cfg (above)"
fi

# 5. The systemd unit, with /bin/true standing in for the rekap program (verify wants every
# ExecStart program to exist). Any message counts as a failure: systemd-analyze only warns
# about unknown keys.
if command -v systemd-analyze >/dev/null; then
  sed 's#^ExecStart=/usr/local/bin/rekap #ExecStart=/bin/true #' "$deploy/rekap/rekap.service" >"$tmp/rekap.service"
  if out=$(systemd-analyze verify "$tmp/rekap.service" 2>&1) && [ -z "$out" ]; then
    ok "systemd-analyze verify deploy/rekap/rekap.service"
  else
    echo "$out" | sed 's/^/  /' >&2
    fail "systemd-analyze verify deploy/rekap/rekap.service (above)"
  fi
else
  echo "deploy_validate: skipped: systemd-analyze is not installed (package systemd); rekap.service not verified"
fi
# The unit passes REKAP_STORE as one argument; the example must give a read-write multi-host string.
store=$(env -i bash -c 'set -a; . "$1"; printf %s "$REKAP_STORE"' _ "$deploy/rekap/rekap.env.example")
case "$store" in
  *host=db-a,db-b*target_session_attrs=read-write*) ok "deploy/rekap/rekap.env.example: REKAP_STORE is a multi-host read-write string" ;;
  *) fail "deploy/rekap/rekap.env.example: REKAP_STORE ($store) is not the multi-host read-write string" ;;
esac

# 6. Scripts parse; shellcheck when it is there.
for s in "$deploy/patroni/rekap-post-bootstrap.sh" "$root/tests/deploy/rehearse.sh" "$0"; do
  [ -f "$s" ] || continue
  if ! bash -n "$s"; then fail "${s#"$root"/}: does not parse"; continue; fi
  if command -v shellcheck >/dev/null && ! shellcheck -S warning "$s" >&2; then fail "${s#"$root"/}: shellcheck (above)"; continue; fi
  ok "${s#"$root"/} parses"
done
[ -x "$deploy/patroni/rekap-post-bootstrap.sh" ] || fail "deploy/patroni/rekap-post-bootstrap.sh is not executable"

if [ ${#failures[@]} -gt 0 ]; then
  echo "deploy_validate: ${#failures[@]} check(s) failed:" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  exit 1
fi
echo "deploy_validate: every check passed"
