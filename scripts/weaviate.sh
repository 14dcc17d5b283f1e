#!/usr/bin/env bash
# Builds and runs Weaviate on loopback for reportbot: one node or a small
# cluster, every node on 127.0.0.1 with its own ports and data directory,
# anonymous access, no vectorizer module, no telemetry, Chinese (gse)
# tokenizers enabled. Used by the README, .ci/run and the integration tests.
#
#   scripts/weaviate.sh install             build weaviate-server into $(go env GOPATH)/bin (once; ~5 min)
#   scripts/weaviate.sh start DIR [N] [PORT] start N nodes (default 1) with ports from PORT (default 8080),
#                                            wait until all are ready, print their HTTP URLs
#   scripts/weaviate.sh stop DIR            stop the nodes started in DIR (SIGTERM, then SIGKILL after 30 s)
#   scripts/weaviate.sh kill DIR I          kill -9 node I (0-based), as a crash would
#   scripts/weaviate.sh urls DIR            print the HTTP URLs of the nodes in DIR
#   scripts/weaviate.sh watch DIR PID       stop the nodes in DIR once process PID has exited
#
# Ports of node I: HTTP PORT+10I, gRPC +1, gossip +2, data +3, raft +4, raft
# RPC +5 (Weaviate derives a local cluster's raft RPC port as raft port + 1).
# Environment: WEAVIATE_BIN (default $(go env GOPATH)/bin/weaviate-server);
# WEAVIATE_ENABLE_GSE=true also loads the plain gse (Japanese) dictionary,
# for store.weaviate.tokenization gse (gse_ch is always on; each dictionary
# costs ~8 s of start-up and a few hundred MB per node);
# WEAVIATE_ASYNC_INDEXING=true makes the nodes insert vectors into HNSW in the
# background (ASYNC_INDEXING): a batch is acknowledged once stored, and its
# objects reach vector search when the queue is indexed (after
# WEAVIATE_ASYNC_INDEXING_STALE_TIMEOUT, default 1s, of a partly filled queue);
# WEAVIATE_MEMTABLE_FLUSH_SECONDS (default 5; Weaviate's own default is 60)
# is how long a written memtable waits before it is flushed: hybrid queries
# return newly written objects reliably only once flushed (docs/scale-out.md,
# "Ingest": with 60 s, 7,341 passages took 82 s to be searchable), so this
# bounds how long a new passage is missed (1 s was no faster, and cost more);
# WEAVIATE_GOMAXPROCS bounds each node's threads (default: the machine's
# cores shared out among the N nodes, at least 1, as a container's CPU
# limit would set it; three nodes on two cores spent less CPU on the same
# ingest with 1 than with 2: docs/performance.md, "Weaviate, seventh round");
# WEAVIATE_STOP_WITH=PID makes start also run "watch DIR PID" in the
# background, so that the nodes do not outlive a test or bench process that
# crashes before it stops them (the nodes run in their own sessions);
# WEAVIATE_SERVER_<NAME>=value passes any other server setting NAME=value
# (e.g. WEAVIATE_SERVER_GOGC=400, WEAVIATE_SERVER_USE_INVERTED_SEARCHABLE=false).
# gRPC (PORT+1) and the cluster data port (PORT+3) listen on all interfaces:
# weaviate-server has no bind-address setting for them. Everything else is
# bound to 127.0.0.1.
set -euo pipefail

VERSION=v1.35.2
BIN=${WEAVIATE_BIN:-$(go env GOPATH)/bin/weaviate-server}

die() { echo "weaviate.sh: $*" >&2; exit 1; }

install() {
  if [ -x "$BIN" ] && go version -m "$BIN" 2>/dev/null | grep -q "mod[[:space:]]*github.com/weaviate/weaviate[[:space:]]*${VERSION}"; then
    echo "weaviate-server ${VERSION} already installed: $BIN"
    return
  fi
  echo "building weaviate-server ${VERSION} from the Go module proxy (about 5 minutes the first time)..."
  GOFLAGS= go install "github.com/weaviate/weaviate/cmd/weaviate-server@${VERSION}"
}

start() {
  local dir=$1 n=${2:-1} base=${3:-8080}
  [ -x "$BIN" ] || die "no weaviate-server at $BIN: run scripts/weaviate.sh install"
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "start: N must be a number of nodes (1 or more), not '$n'"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local join="" i extra=() kv procs
  procs=${WEAVIATE_GOMAXPROCS:-$(($(nproc) / n))}
  if [ "$procs" -lt 1 ]; then procs=1; fi
  while IFS= read -r kv; do
    extra+=("${kv#WEAVIATE_SERVER_}")
  done < <(env | grep '^WEAVIATE_SERVER_[A-Z0-9_]*=' || true)
  for ((i = 0; i < n; i++)); do
    join+="${join:+,}node$i:$((base + 10 * i + 4))"
  done
  for ((i = 0; i < n; i++)); do
    if [ "$i" -eq 1 ]; then
      # The other nodes join node0's gossip port at start-up and exit if it
      # is not there yet (node0 loads the gse dictionaries first).
      waitport "$dir" 0 $((base + 2))
    fi
    local p=$((base + 10 * i)) cluster_join=""
    if [ "$i" -gt 0 ]; then cluster_join="127.0.0.1:$((base + 2))"; fi
    if [ -f "$dir/node$i.pid" ] && kill -0 "$(cat "$dir/node$i.pid")" 2>/dev/null; then
      die "node$i in $dir is already running (pid $(cat "$dir/node$i.pid"))"
    fi
    mkdir -p "$dir/node$i"
    env -i PATH="$PATH" HOME="$dir/node$i" \
      GOMAXPROCS="$procs" \
      PERSISTENCE_DATA_PATH="$dir/node$i/data" \
      AUTHENTICATION_ANONYMOUS_ACCESS_ENABLED=true \
      DEFAULT_VECTORIZER_MODULE=none \
      ENABLE_MODULES= \
      DISABLE_TELEMETRY=true \
      GO_PROFILING_DISABLE=true \
      PROMETHEUS_MONITORING_ENABLED=false \
      ENABLE_TOKENIZER_GSE_CH=true \
      ENABLE_TOKENIZER_GSE="${WEAVIATE_ENABLE_GSE:-false}" \
      ASYNC_INDEXING="${WEAVIATE_ASYNC_INDEXING:-false}" \
      ASYNC_INDEXING_STALE_TIMEOUT="${WEAVIATE_ASYNC_INDEXING_STALE_TIMEOUT:-1s}" \
      PERSISTENCE_MEMTABLES_FLUSH_DIRTY_AFTER_SECONDS="${WEAVIATE_MEMTABLE_FLUSH_SECONDS:-5}" \
      QUERY_DEFAULTS_LIMIT=25 \
      LOG_LEVEL="${WEAVIATE_LOG_LEVEL:-warning}" \
      CLUSTER_HOSTNAME="node$i" \
      CLUSTER_IN_LOCALHOST=true \
      CLUSTER_BIND_ADDR=127.0.0.1 \
      CLUSTER_ADVERTISE_ADDR=127.0.0.1 \
      CLUSTER_GOSSIP_BIND_PORT=$((p + 2)) \
      CLUSTER_DATA_BIND_PORT=$((p + 3)) \
      CLUSTER_JOIN="$cluster_join" \
      MEMBERLIST_FAST_FAILURE_DETECTION=true \
      RAFT_PORT=$((p + 4)) \
      RAFT_INTERNAL_RPC_PORT=$((p + 5)) \
      RAFT_JOIN="$join" \
      RAFT_BOOTSTRAP_EXPECT="$n" \
      GRPC_PORT=$((p + 1)) \
      "${extra[@]}" \
      setsid "$BIN" --scheme http --host 127.0.0.1 --port "$p" --read-timeout 60s --write-timeout 60s \
      >"$dir/node$i.log" 2>&1 </dev/null &
    echo $! >"$dir/node$i.pid"
    echo "http://127.0.0.1:$p" >"$dir/node$i.url"
  done
  if [ -n "${WEAVIATE_STOP_WITH:-}" ]; then
    setsid bash "$0" watch "$dir" "$WEAVIATE_STOP_WITH" </dev/null >/dev/null 2>&1 &
  fi
  for ((i = 0; i < n; i++)); do
    local url deadline=$((SECONDS + ${WEAVIATE_START_TIMEOUT:-180}))
    url=$(cat "$dir/node$i.url")
    until curl -sf -m 2 "$url/v1/.well-known/ready" >/dev/null; do
      if ! kill -0 "$(cat "$dir/node$i.pid")" 2>/dev/null; then
        tail -20 "$dir/node$i.log" >&2
        die "node$i exited during start-up (log: $dir/node$i.log)"
      fi
      if [ "$SECONDS" -ge "$deadline" ]; then
        tail -20 "$dir/node$i.log" >&2
        die "node$i not ready at $url after ${WEAVIATE_START_TIMEOUT:-180}s (log: $dir/node$i.log)"
      fi
      sleep 0.5
    done
  done
  urls "$dir"
}

# waitport DIR I PORT waits until node I accepts TCP connections on PORT.
waitport() {
  local dir=$1 i=$2 port=$3 deadline=$((SECONDS + ${WEAVIATE_START_TIMEOUT:-180}))
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    kill -0 "$(cat "$dir/node$i.pid")" 2>/dev/null || { tail -20 "$dir/node$i.log" >&2; die "node$i exited during start-up"; }
    [ "$SECONDS" -lt "$deadline" ] || die "node$i does not listen on $port (log: $dir/node$i.log)"
    sleep 0.5
  done
}

stop() {
  local dir=$1 f pid
  for f in "$dir"/node*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
  done
  for f in "$dir"/node*.pid; do
    [ -e "$f" ] || continue
    pid=$(cat "$f")
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
}

# watch DIR PID returns when no node of DIR is left (stop removes their pid
# files) or, once process PID has exited, after stopping them.
watch() {
  local dir=$1 pid=$2
  while kill -0 "$pid" 2>/dev/null; do
    compgen -G "$dir/node*.pid" >/dev/null || return 0
    sleep 1
  done
  stop "$dir"
}

killnode() {
  local dir=$1 i=$2
  [ -f "$dir/node$i.pid" ] || die "no node$i in $dir"
  kill -9 "$(cat "$dir/node$i.pid")"
  rm -f "$dir/node$i.pid"
}

urls() {
  local dir=$1 f
  for f in "$dir"/node*.url; do
    [ -e "$f" ] && cat "$f"
  done
  return 0
}

cmd=${1:-}
shift || true
case "$cmd" in
  install) install ;;
  start) [ $# -ge 1 ] || die "usage: start DIR [N] [PORT]"; start "$@" ;;
  stop) [ $# -eq 1 ] || die "usage: stop DIR"; stop "$1" ;;
  kill) [ $# -eq 2 ] || die "usage: kill DIR I"; killnode "$1" "$2" ;;
  urls) [ $# -eq 1 ] || die "usage: urls DIR"; urls "$1" ;;
  watch) [ $# -eq 2 ] || die "usage: watch DIR PID"; watch "$1" "$2" ;;
  *) sed -n '2,/^set -e/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
