#!/usr/bin/env bash
# Records the binlogs in testdata/recorded/ from a private MariaDB server.
#
#   bash testdata/record.sh              # every variant
#   bash testdata/record.sh sensitive    # only the named variants
#
# For each variant (see VARIANTS below) it installs a fresh data directory in
# a temp dir, starts mariadbd on its own port and socket with the flags of
# internal/mariadbtest, runs testdata/workload.sql with the mariadb client
# (restarting the server where the workload says "-- @restart"), flushes the
# binary log, stops the server by PID, and copies the binlog files to
# testdata/recorded/mariadb-<major>_<minor>-<variant>.NNNNNN with the mariadb-binlog text beside
# each one (<file>.mariadb-binlog.txt). It never touches any other server and
# installs nothing.
#
# The enc-* variants run with encrypt_binlog=ON and the file_key_management
# plugin, with the test-only keys in testdata/encrypted/, and go to
# testdata/encrypted/: beside each encrypted file the server wrote they keep
# the server's plaintext stream of it (<file>.stream, from
# `mariadb-binlog --read-from-remote-server --raw`) and the server's own
# decoding of it (<file>.mariadb-binlog.txt, read from the server, which
# decrypts; enc-cbc only), since mariadb-binlog cannot read an encrypted file
# by itself.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
workload=$here/workload.sql
out=$here/recorded

die() { echo "record.sh: $*" >&2; exit 1; }

# find NAME: print the path of a MariaDB binary ($PATH, then the usual
# places of server binaries, which are often not on $PATH).
find_bin() {
	local p
	if p=$(command -v "$1" 2>/dev/null); then echo "$p"; return; fi
	for d in /usr/sbin /usr/local/sbin /usr/local/mysql/bin /usr/local/mysql/sbin; do
		if [[ -x $d/$1 ]]; then echo "$d/$1"; return; fi
	done
	return 1
}
mariadbd=$(find_bin mariadbd) || die "mariadbd not found (install the MariaDB server)"
install_db=$(find_bin mariadb-install-db) || die "mariadb-install-db not found (install the MariaDB server)"
client=$(find_bin mariadb) || die "mariadb not found (install the MariaDB client)"
binlogtool=$(find_bin mariadb-binlog) || die "mariadb-binlog not found (install the MariaDB client)"
[[ -f $workload ]] || die "$workload is missing"

# workload_of VARIANT: the workload file a variant runs (most run
# workload.sql; "sensitive" runs sensitive.sql, the masking tests' data).
workload_of() {
	case $1 in
	sensitive) echo "$here/sensitive.sql" ;;
	hires) echo "$here/hires.sql" ;;
	enc-*) echo "$here/encrypted.sql" ;;
	*) echo "$workload" ;;
	esac
}

# "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for ..." -> 10.11.19 and 10_11.
# The server cuts a --log-bin name at its first dot ("mariadb-10.11-full"
# would become "mariadb-10.000001"), so the version in file names uses '_':
# the files keep the names the server gave them, which are also the names
# inside their ROTATE and BINLOG_CHECKPOINT events.
full_version=$("$mariadbd" --version | sed -n 's/.*Ver \([0-9][0-9.]*\).*/\1/p')
[[ -n $full_version ]] || die "cannot read the version of $mariadbd"
short_version=$(echo "$full_version" | cut -d. -f1,2 | tr . _)

# out_of VARIANT: the directory a variant's files go to.
out_of() {
	case $1 in
	enc-*) echo "$here/encrypted" ;;
	*) echo "$out" ;;
	esac
}

# Variants: name, then extra mariadbd flags (later flags win).
keys=$here/encrypted
encrypt="--plugin-load-add=file_key_management --encrypt-binlog=ON"
VARIANTS=(
	"full|--binlog-row-image=FULL --binlog-checksum=CRC32"
	"minimal|--binlog-row-image=MINIMAL --binlog-checksum=NONE"
	"sensitive|--binlog-row-image=FULL --binlog-checksum=CRC32 --binlog-annotate-row-events=ON"
	"hires|--binlog-row-image=FULL --binlog-checksum=CRC32 --mysql56-temporal-format=OFF"
	"enc-cbc|$encrypt --file-key-management-filename=$keys/keys.txt --file-key-management-encryption-algorithm=AES_CBC"
	"enc-ctr|$encrypt --file-key-management-filename=$keys/keys.txt --file-key-management-encryption-algorithm=AES_CTR"
	"enc-filekey|$encrypt --file-key-management-filename=$keys/keys-filekey.enc --file-key-management-filekey=FILE:$keys/filekey.txt"
	"enc-nocrc|$encrypt --file-key-management-filename=$keys/keys.txt --binlog-checksum=NONE"
)

# Arguments name the variants to record; none records them all. Variants not
# named keep their files.
if (($# > 0)); then
	selected=()
	for want in "$@"; do
		found=""
		for v in "${VARIANTS[@]}"; do
			[[ ${v%%|*} == "$want" ]] && { selected+=("$v"); found=1; }
		done
		[[ -n $found ]] || die "unknown variant $want (have: $(printf '%s ' "${VARIANTS[@]%%|*}"))"
	done
	VARIANTS=("${selected[@]}")
fi

# Keep everything that is not the workload's own doing out of the output:
# mariadb-binlog prints event times in the local time zone, the server reads
# MYSQL_* variables.
export TZ=UTC
unset MYSQL_PWD MYSQL_HOST MYSQL_TCP_PORT MYSQL_UNIX_PORT || true

tmp=$(mktemp -d "${TMPDIR:-/tmp}/binlogkit-record.XXXXXX")
pid=""

stop_server() {
	[[ -n $pid ]] || return 0
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid"
		for _ in $(seq 300); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "record.sh: mariadbd ($pid) ignored SIGTERM for 30 s, killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	wait "$pid" 2>/dev/null || true
	pid=""
}
cleanup() {
	stop_server
	rm -rf "$tmp"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null && return
	# Without python3: a random high port that nothing listens on.
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 30000))
		if ! (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
	done
	die "no free port found"
}

# start_server DIR PORT BASENAME EXTRA...: start mariadbd as the Go launcher
# does and wait until it answers.
start_server() {
	local dir=$1 port=$2 base=$3
	shift 3
	local user=()
	[[ $(id -u) == 0 ]] && user=(--user=root)
	"$mariadbd" --no-defaults \
		--datadir="$dir/data" --tmpdir="$dir/tmp" --socket="$dir/mysqld.sock" \
		--port="$port" --bind-address=127.0.0.1 \
		--pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
		--log-bin="$dir/binlog/$base" \
		--binlog-format=ROW --binlog-row-image=FULL --binlog-row-metadata=FULL \
		--binlog-checksum=CRC32 --server-id=1 \
		--character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
		--default-time-zone=+00:00 --skip-name-resolve \
		--innodb-buffer-pool-size=16M --innodb-log-file-size=4M --max-connections=50 \
		"${user[@]}" "$@" >>"$dir/error.log" 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		if sql "$dir" <<<"SELECT 1" >/dev/null 2>&1; then return 0; fi
		if ! kill -0 "$pid" 2>/dev/null; then break; fi
		sleep 0.1
	done
	echo "--- tail of $dir/error.log ---" >&2
	tail -n 40 "$dir/error.log" >&2 || true
	die "mariadbd did not start"
}

# sql DIR: run the SQL on stdin through the server's socket.
sql() {
	"$client" --no-defaults --user=root --socket="$1/mysqld.sock" --protocol=socket \
		--default-character-set=utf8mb4 --batch --skip-column-names --binary-mode
}

record() {
	local name=$1
	shift
	local base="mariadb-$short_version-$name"
	local dir=$tmp/$name
	mkdir -p "$dir/binlog" "$dir/tmp"
	local user=()
	[[ $(id -u) == 0 ]] && user=(--user=root)
	"$install_db" --no-defaults --auth-root-authentication-method=normal \
		--datadir="$dir/data" --skip-test-db "${user[@]}" >"$dir/install.log" 2>&1 ||
		{ tail -n 40 "$dir/install.log" >&2; die "mariadb-install-db failed"; }

	local port
	port=$(free_port)
	echo "record.sh: $base: mariadbd $full_version on 127.0.0.1:$port $*" >&2
	local wl
	wl=$(workload_of "$name")
	[[ -f $wl ]] || die "$wl is missing"
	start_server "$dir" "$port" "$base" "$@"
	sed '/^-- @restart$/,$d' "$wl" | sql "$dir" >/dev/null
	if grep -q '^-- @restart$' "$wl"; then
		stop_server
		start_server "$dir" "$port" "$base" "$@"
		sed -n '/^-- @restart$/,$p' "$wl" | sql "$dir" >/dev/null
	fi
	sql "$dir" <<<"FLUSH BINARY LOGS" >/dev/null
	stop_server

	local dst f
	dst=$(out_of "$name")
	rm -f "$dst/$base".*
	mkdir -p "$dst"
	cp "$dir/binlog/$base.index" "$dir/files"
	if [[ $name == enc-* ]]; then
		# Start the server once more (it opens a new file, which is not
		# kept) and read, over the replication protocol, its plaintext
		# stream of each file and its decoding of it: every file is
		# complete by now, its STOP event included.
		start_server "$dir" "$port" "$base" "$@"
		mkdir -p "$dir/stream"
		while IFS= read -r f; do
			[[ -n $f ]] || continue
			f=$(basename "$f")
			"$binlogtool" --no-defaults --read-from-remote-server --host=127.0.0.1 --port="$port" \
				--user=root --raw --result-file="$dir/stream/" "$f"
			cp "$dir/stream/$f" "$dst/$f.stream"
			# The text only once (the variants differ in their bytes, not
			# in what they hold).
			[[ $name == enc-cbc ]] || continue
			(cd "$dst" && "$binlogtool" --no-defaults --read-from-remote-server --host=127.0.0.1 --port="$port" \
				--user=root -vv --base64-output=decode-rows "$f" >"$f.mariadb-binlog.txt")
		done <"$dir/files"
		stop_server
	fi

	while IFS= read -r f; do
		[[ -n $f ]] || continue
		cp "$f" "$dst/"
		chmod 644 "$dst/$(basename "$f")"
		[[ $name == enc-* ]] && continue
		# mariadb-binlog gives up at rows it cannot read (those of MariaDB's
		# older temporal formats): its text then stops there.
		(cd "$dst" && "$binlogtool" --no-defaults -vv --base64-output=decode-rows "$(basename "$f")" \
			>"$(basename "$f").mariadb-binlog.txt") ||
			echo "record.sh: mariadb-binlog exited with status $? on $(basename "$f"): its text stops where it gave up" >&2
	done <"$dir/files"
}

for v in "${VARIANTS[@]}"; do
	# shellcheck disable=SC2086 # the flags are meant to split
	record "${v%%|*}" ${v#*|}
done
ls -l "$out" "$here/encrypted" >&2
