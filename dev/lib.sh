# dev/lib.sh — shared helpers for the local-stack scripts in dev/ (sourced, not run).
# shellcheck disable=SC2034  # the variables are used by the scripts that source this
#
# Everything derives from two inputs: the top of the tree (found from this file's
# location, never hard-coded) and the environment (SOMOIM_RUN, SOMOIM_PORT). Caches live
# under $XDG_CACHE_HOME (default ~/.cache)/somoim so a second install downloads nothing.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/somoim
KAFKA_VERSION=3.9.1
KAFKA_LIBS=$CACHE/kafka-$KAFKA_VERSION
FERRETDB_VERSION=1.24.2
FERRETDB_DIR=$CACHE/ferretdb-$FERRETDB_VERSION
# The browser tests' node_modules live in $CACHE/web-e2e-<lockfile hash>/.
web_e2e_dir() { printf '%s/web-e2e-%s\n' "$CACHE" "$(sha256sum <"$TOP/web/e2e/package-lock.json" | cut -c1-16)"; }
FERRETDB_BIN=$FERRETDB_DIR/somoim-ferretdb
# The venv of the independent OAuth client the auth server's tests use (dev/install).
OAUTH_VENV=$CACHE/oauth-client
# The Go toolchain we fetch from the Go module proxy when the machine has none new enough.
GO_TOOLCHAIN=go1.24.3

# schemathesis_dir: the venv dev/install makes for dev/schemathesis.txt (named by its hash).
schemathesis_dir() {
    printf '%s/schemathesis-%s\n' "$CACHE" "$(sha256sum <"$TOP/dev/schemathesis.txt" | cut -c1-12)"
}

is_root() { [[ $(id -u) -eq 0 ]]; }

log() { printf '%s\n' "$*" >&2; }
die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# Run directory and port base; SOMOIM_RUN may be relative to the top of the tree.
set_run_env() {
    RUN=${SOMOIM_RUN:-.run/dev}
    [[ $RUN == /* ]] || RUN=$TOP/$RUN
    PORT=${SOMOIM_PORT:-8000}
    [[ $PORT =~ ^[0-9]+$ ]] && ((PORT >= 1024 && PORT <= 65000)) ||
        die "SOMOIM_PORT must be a port base between 1024 and 65000, not '$PORT'"
    CONF=$RUN/somoim.conf
    PUB_PORT=$((PORT + 1))
    MYSQL_PORT=$((PORT + 306))
    REDIS_PORT=$((PORT + 379))
    KAFKA_PORT=$((PORT + 92))
    KAFKA_CONTROLLER_PORT=$((PORT + 93))
    FERRETDB_PORT=$((PORT + 17))
    MYSQL_SOCK=$RUN/mariadb.sock
    # Where the built programs are (dev/up builds in .run/build, dev/test in .run/build-test).
    BUILD=${SOMOIM_BUILD:-$TOP/.run/build}
    [[ $BUILD == /* ]] || BUILD=$TOP/$BUILD
}

# only NAME: true unless SOMOIM_ONLY (space-separated service and daemon names) is set
# and leaves NAME out.  A stack started with SOMOIM_ONLY runs just those programs (the
# gateway still routes to the others, which then answer 503): for working on a few
# services while the rest of the tree is mid-change.
only() { [[ -z ${SOMOIM_ONLY:-} || " $SOMOIM_ONLY " == *" $1 "* ]]; }

# services: prints "name instances" for every line of nginx/services (see only).
services() {
    local name n
    while read -r name n _; do
        [[ -z $name || $name == \#* ]] && continue
        if only "$name"; then printf '%s %s\n' "$name" "${n:-1}"; fi
    done <"$TOP/nginx/services"
}

# schemas: prints the name of every schema: one per directory under sql/ (a FastCGI
# service, or a daemon's own store such as member's), each with its own DB user.
# sql/common/ is not a schema: it holds the tables several schemas include.  With
# SOMOIM_ONLY, only the schemas of the programs named there (board_query is board-query's).
schemas() {
    local d name
    for d in "$TOP"/sql/*/; do
        name=$(basename "$d")
        [[ -d $d && $name != common ]] || continue
        if only "$name" || only "${name//_/-}"; then printf '%s\n' "$name"; fi
    done
}

# daemons: prints the Kafka daemons (kafka-consumers/daemons, one name per line).
# outbox_schemas: the schemas whose migrations create an outbox (the relay's list).
outbox_schemas() {
    local svc
    schemas | while read -r svc; do
        if grep -qsE 'CREATE TABLE outbox|@include common/outbox\.sql' "$TOP/sql/$svc"/*.sql; then
            printf '%s\n' "$svc"
        fi
    done
}

daemons() {
    [[ -f $TOP/kafka-consumers/daemons ]] || return 0
    local name
    while read -r name _; do
        [[ -z $name || $name == \#* ]] && continue
        if only "$name"; then printf '%s\n' "$name"; fi
    done <"$TOP/kafka-consumers/daemons"
}

# fcgi_instances: prints "<svc>-<n>" for every FastCGI instance, in order.
fcgi_instances() {
    local name n i
    services | while read -r name n; do
        for ((i = 1; i <= n; i++)); do printf '%s-%d\n' "$name" "$i"; done
    done
}

# conf_get SECTION KEY [FILE]: a value from the INI file (comments after ';' dropped).
conf_get() {
    awk -v sec="$1" -v key="$2" '
        /^[ \t]*\[/ { s = $0; gsub(/[][ \t]|;.*/, "", s); next }
        s == sec {
            line = $0; sub(/[ \t]*;.*/, "", line)
            k = line; sub(/=.*/, "", k); gsub(/[ \t]/, "", k)
            if (k == key) { v = line; sub(/^[^=]*=[ \t]*/, "", v); sub(/[ \t]+$/, "", v); print v; exit }
        }' "${3:-$CONF}"
}

random_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

# find_go: prints the path of a Go toolchain that can build our FerretDB launcher
# (>= 1.21, which fetches the exact toolchain go.mod asks for by itself), fetching one
# from the Go module proxy (golang.org/toolchain is an ordinary module there) if needed.
find_go() {
    local g v
    for g in "$(command -v go || true)" /usr/local/go/bin/go /usr/lib/go/bin/go \
        "$CACHE/go/$GO_TOOLCHAIN/bin/go"; do
        [[ -n $g && -x $g ]] || continue
        v=$("$g" env GOVERSION 2>/dev/null) || continue # go1.19 or older: no GOVERSION
        v=${v#go}
        if [[ ${v%%.*} -gt 1 ]] || { v=${v#1.}; ((${v%%[!0-9]*} >= 21)); }; then
            printf '%s\n' "$g"
            return 0
        fi
    done
    fetch_go_toolchain && printf '%s\n' "$CACHE/go/$GO_TOOLCHAIN/bin/go"
}

fetch_go_toolchain() {
    local arch zip mod dest=$CACHE/go/$GO_TOOLCHAIN
    case $(uname -m) in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) die "no Go toolchain for $(uname -m); install Go >= 1.21" ;;
    esac
    mod=v0.0.1-$GO_TOOLCHAIN.linux-$arch
    log "install: fetching Go toolchain $mod from the Go module proxy"
    mkdir -p "$CACHE/go"
    zip=$(mktemp "$CACHE/go/toolchain.XXXXXX.zip")
    curl -fsSL -o "$zip" "https://proxy.golang.org/golang.org/toolchain/@v/$mod.zip" ||
        die "could not download the Go toolchain"
    rm -rf "$dest" "$CACHE/go/unzip"
    unzip -q "$zip" -d "$CACHE/go/unzip"
    mv "$CACHE/go/unzip/golang.org/toolchain@$mod" "$dest"
    rm -rf "$zip" "$CACHE/go/unzip"
    chmod +x "$dest"/bin/* "$dest"/pkg/tool/*/* 2>/dev/null || true
}

# configure_tree BUILD_DIR [CONFIGURE_ARGS...]: an out-of-tree build directory (dev/up and
# dev/test each have their own, so switching between them never rebuilds everything):
# autoreconf when the tree has no configure script, (re)configure when BUILD_DIR has no
# Makefile or was configured with other flags (remembered in BUILD_DIR/configure.flags).
# Leaves the caller in BUILD_DIR.
configure_tree() {
    local dir=$1 want
    shift
    want=$(printf '%s ' "$@")
    [[ -f $TOP/configure.ac ]] || die "no configure.ac in $TOP"
    [[ ! -f $TOP/config.status ]] ||
        die "the source tree is configured in place; run 'make distclean' in $TOP first"
    if [[ ! -x $TOP/configure || $TOP/configure.ac -nt $TOP/configure ]]; then
        log "build: autoreconf -fi"
        (cd "$TOP" && autoreconf -fi)
    fi
    mkdir -p "$dir"
    cd "$dir"
    if [[ ! -f Makefile || ! -f configure.flags || $(cat configure.flags) != "$want" ]]; then
        log "build: configure $want(in $dir)"
        rm -f configure.flags
        "$TOP/configure" "$@"
        printf '%s' "$want" >configure.flags
    fi
}

# build_tree BUILD_DIR [CONFIGURE_ARGS...]: configure_tree, then make -j2.
build_tree() {
    configure_tree "$@"
    log "build: make -j2"
    make -j2
}

# run_web_script SCRIPT.mjs [ARGS...]: runs a Node script of web/e2e against the dev stack
# (SOMOIM_URL, else the stack of SOMOIM_RUN/SOMOIM_PORT) with the npm packages dev/install
# put in the cache: ESM ignores NODE_PATH, so the script and lib.mjs are copied beside a
# node_modules link in a scratch directory.
run_web_script() {
    local script=$1 dir mods rc=0
    shift
    set_run_env
    mods=$(web_e2e_dir)/node_modules
    [[ -d $mods/playwright-core ]] || "$TOP/dev/install"
    dir=$(mktemp -d "${TMPDIR:-/tmp}/somoim-web.XXXXXX")
    ln -s "$mods" "$dir/node_modules"
    cp "$TOP/web/e2e/lib.mjs" "$TOP/web/e2e/$script" "$dir/"
    SOMOIM_URL=${SOMOIM_URL:-http://127.0.0.1:$PORT} SOMOIM_CONF=${SOMOIM_CONF:-$CONF} \
        SOMOIM_WEB=$TOP/web node "$dir/$script" "$@" || rc=$?
    rm -rf "$dir"
    return "$rc"
}
