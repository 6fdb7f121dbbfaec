package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/binlogkit/binlogkit/backup"
)

// Finding statuses.
type status string

const (
	statusPass status = "pass"
	statusWarn status = "warn"
	statusFail status = "fail"
)

// finding is one check's outcome.
type finding struct {
	Check    string `json:"check"`
	Variable string `json:"variable"`
	Value    string `json:"value"`
	Status   status `json:"status"`
	Why      string `json:"why"`
	Fix      string `json:"fix,omitempty"`
}

// server is what binlogcheck learns of the server.
type server struct {
	version string
	mariadb bool
	host    string
	vars    map[string]string // global variables, lower-case names
}

func readServer(ctx context.Context, db *sql.DB) (*server, error) {
	s := &server{vars: map[string]string{}}
	rows, err := db.QueryContext(ctx, "SHOW GLOBAL VARIABLES")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v sql.NullString
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		s.vars[strings.ToLower(k)] = v.String
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.version = s.vars["version"]
	s.mariadb = strings.Contains(s.version, "MariaDB")
	s.host = s.vars["hostname"] + ":" + s.vars["port"]
	return s, nil
}

// set returns the statement that sets a dynamic variable durably.
func (s *server) set(name, value string) string {
	if s.mariadb {
		return fmt.Sprintf("SET GLOBAL %s = %s; and %s = %s under [mariadb] in the server's configuration file", name, value, name, strings.Trim(value, "'"))
	}
	return fmt.Sprintf("SET PERSIST %s = %s;", name, value)
}

// config returns the advice for a variable that needs a restart.
func (s *server) config(name, value string) string {
	section := "[mysqld]"
	if s.mariadb {
		section = "[mariadb]"
	}
	if !s.mariadb {
		return fmt.Sprintf("SET PERSIST_ONLY %s = %s; then restart the server (or %s = %s under %s)", name, value, name, strings.Trim(value, "'"), section)
	}
	return fmt.Sprintf("%s = %s under %s in the server's configuration file, then restart the server", name, strings.Trim(value, "'"), section)
}

// check runs every check.
func check(ctx context.Context, db *sql.DB, s *server, dir string) []finding {
	var out []finding
	add := func(f finding) { out = append(out, f) }
	v := func(name string) (string, bool) {
		val, ok := s.vars[name]
		return val, ok
	}
	is := func(name, want string) bool {
		val := strings.ToUpper(s.vars[name])
		return val == want || want == "ON" && val == "1"
	}

	logBin, _ := v("log_bin")
	f := finding{Check: "binary logging", Variable: "log_bin", Value: logBin, Status: statusPass,
		Why: "the binary log is what recovery, backup and CDC read"}
	if !is("log_bin", "ON") {
		f.Status, f.Why = statusFail, "binary logging is off: nothing can be recovered past the last dump, backed up or streamed"
		f.Fix = s.config("log_bin", "'binlog'")
	}
	add(f)

	format, _ := v("binlog_format")
	f = finding{Check: "row format", Variable: "binlog_format", Value: format, Status: statusPass,
		Why: "ROW logs every changed row, which recovery, flashback and CDC need"}
	if !is("binlog_format", "ROW") {
		f.Status, f.Why = statusFail, "statement or mixed logging records SQL, not rows: flashback cannot invert it and CDC sees no row values"
		f.Fix = s.set("binlog_format", "'ROW'")
	}
	add(f)

	img, _ := v("binlog_row_image")
	f = finding{Check: "full row images", Variable: "binlog_row_image", Value: img, Status: statusPass,
		Why: "FULL images carry every column before and after a change"}
	if !is("binlog_row_image", "FULL") {
		f.Status, f.Why = statusFail, "MINIMAL/NOBLOB images leave columns out: a rollback cannot restore them and CDC consumers see partial rows"
		f.Fix = s.set("binlog_row_image", "'FULL'")
	}
	add(f)

	if meta, ok := v("binlog_row_metadata"); ok {
		f = finding{Check: "column metadata", Variable: "binlog_row_metadata", Value: meta, Status: statusPass,
			Why: "FULL metadata names columns and gives charsets, signedness and ENUM/SET values in the binlog itself"}
		if !is("binlog_row_metadata", "FULL") {
			f.Status, f.Why = statusFail, "MINIMAL metadata lacks column names and types' details: decoding then needs the schema as it was at each position"
			f.Fix = s.set("binlog_row_metadata", "'FULL'")
		}
		add(f)
	} else {
		add(finding{Check: "column metadata", Variable: "binlog_row_metadata", Value: "(absent)", Status: statusWarn,
			Why: "this server version has no binlog_row_metadata: column names come from the schema only", Fix: "upgrade to MySQL 8.0 or MariaDB 10.5 or later"})
	}

	if opts, ok := v("binlog_row_value_options"); ok {
		f = finding{Check: "whole JSON values", Variable: "binlog_row_value_options", Value: opts, Status: statusPass,
			Why: "empty: JSON updates are logged as whole values"}
		if strings.Contains(strings.ToUpper(opts), "PARTIAL_JSON") {
			f.Status, f.Why = statusFail, "PARTIAL_JSON logs JSON updates as diffs (PARTIAL_UPDATE_ROWS): a rollback cannot invert them and consumers must apply them to an image they may not have"
			f.Fix = s.set("binlog_row_value_options", "''")
		}
		add(f)
	}

	sb, _ := v("sync_binlog")
	f = finding{Check: "durable binlog", Variable: "sync_binlog", Value: sb, Status: statusPass,
		Why: "1 syncs the binlog at every commit: a crash loses no committed transaction from it"}
	if sb != "1" {
		f.Status, f.Why = statusFail, "the binlog is synced less often than every commit: an OS crash or power loss can lose committed transactions from it (and from every copy)"
		f.Fix = s.set("sync_binlog", "1")
	}
	add(f)

	sum, _ := v("binlog_checksum")
	f = finding{Check: "event checksums", Variable: "binlog_checksum", Value: sum, Status: statusPass,
		Why: "CRC32 lets every reader and the archive's verify detect a damaged event"}
	if !is("binlog_checksum", "CRC32") {
		f.Status, f.Why = statusFail, "without checksums a damaged event goes unnoticed by readers, replicas and backups"
		f.Fix = s.set("binlog_checksum", "'CRC32'")
	}
	add(f)

	if s.mariadb {
		strict, _ := v("gtid_strict_mode")
		f = finding{Check: "GTIDs", Variable: "gtid_strict_mode", Value: strict, Status: statusPass,
			Why: "strict mode keeps each domain's GTIDs in order, so a GTID position names one place in the binlog"}
		if !is("gtid_strict_mode", "ON") {
			f.Status, f.Why = statusWarn, "without strict mode GTIDs may go out of order: resuming a stream or a restore by GTID can skip or repeat transactions"
			f.Fix = s.set("gtid_strict_mode", "ON")
		}
		add(f)
	} else {
		mode, _ := v("gtid_mode")
		f = finding{Check: "GTIDs", Variable: "gtid_mode", Value: mode, Status: statusPass,
			Why: "GTIDs let a restore start from a dump's GTID_PURGED and a CDC consumer resume by GTID set, whatever the file names"}
		if !is("gtid_mode", "ON") {
			f.Status, f.Why = statusFail, "without GTIDs restores and consumers depend on file positions, which differ on every replica"
			f.Fix = "SET PERSIST enforce_gtid_consistency = ON; then SET PERSIST gtid_mode = OFF_PERMISSIVE, ON_PERMISSIVE, ON in turn"
		}
		add(f)
		cons, _ := v("enforce_gtid_consistency")
		f = finding{Check: "GTID consistency", Variable: "enforce_gtid_consistency", Value: cons, Status: statusPass,
			Why: "ON refuses statements that cannot be logged with a GTID"}
		if !is("enforce_gtid_consistency", "ON") {
			f.Status, f.Why = statusFail, "statements unsafe for GTIDs are allowed, so gtid_mode cannot be ON"
			f.Fix = s.set("enforce_gtid_consistency", "ON")
		}
		add(f)
	}

	out = append(out, expiry(s)...)

	size, _ := v("max_binlog_size")
	f = finding{Check: "file size", Variable: "max_binlog_size", Value: size, Status: statusPass,
		Why: "the unit the archive completes, compresses, encrypts and expires"}
	if n, err := strconv.ParseInt(size, 10, 64); err == nil && n < 64<<20 {
		f.Status, f.Why = statusWarn, "files under 64 MiB make many small files: more rotations, a longer index, more files to keep in step"
		f.Fix = s.set("max_binlog_size", strconv.Itoa(1<<30))
	}
	add(f)

	encVar := "binlog_encryption"
	if s.mariadb {
		encVar = "encrypt_binlog"
	}
	enc, _ := v(encVar)
	f = finding{Check: "encryption at rest", Variable: encVar, Value: enc, Status: statusPass,
		Why: "the server's binlog files are encrypted on its disk"}
	if !is(encVar, "ON") {
		f.Status, f.Why = statusWarn, "the binlog files hold every changed row in plaintext on the server's disk"
		if s.mariadb {
			f.Fix = "plugin_load_add = file_key_management, file_key_management_filename = …, encrypt_binlog = ON under [mariadb], then restart"
		} else {
			f.Fix = "load a keyring component (component_keyring_file), then SET PERSIST binlog_encryption = ON;"
		}
	}
	add(f)

	tls, ok := v("have_ssl")
	tlsVar := "have_ssl"
	if !ok {
		tlsVar, tls = "ssl_cert", s.vars["ssl_cert"]
	}
	f = finding{Check: "TLS", Variable: tlsVar, Value: tls, Status: statusPass,
		Why: "replicas, backups and CDC consumers can read the binlog over TLS"}
	if strings.ToUpper(tls) != "YES" && (tlsVar == "have_ssl" || tls == "") {
		f.Status, f.Why = statusWarn, "no TLS: every row a replica or backup reads crosses the network in plaintext"
		f.Fix = s.config("ssl_cert", "'/path/server-cert.pem'") + " (with ssl_key and ssl_ca)"
	}
	add(f)
	rst, _ := v("require_secure_transport")
	f = finding{Check: "TLS required", Variable: "require_secure_transport", Value: rst, Status: statusPass,
		Why: "every TCP connection must use TLS"}
	if !is("require_secure_transport", "ON") {
		f.Status, f.Why = statusWarn, "clients (a replication account too) may connect without TLS"
		f.Fix = s.set("require_secure_transport", "ON")
	}
	add(f)

	out = append(out, accounts(ctx, db, s)...)
	out = append(out, filePermissions(s)...)
	if dir != "" {
		out = append(out, archiveGap(ctx, db, s, dir))
	}
	return out
}

// expiry checks how long the server keeps its binlogs.
func expiry(s *server) []finding {
	secs, hasSecs := s.vars["binlog_expire_logs_seconds"]
	days, hasDays := s.vars["expire_logs_days"]
	name, value := "binlog_expire_logs_seconds", secs
	var seconds float64
	switch {
	case hasSecs && secs != "0":
		seconds, _ = strconv.ParseFloat(secs, 64)
	case hasDays:
		name, value = "expire_logs_days", days
		d, _ := strconv.ParseFloat(days, 64)
		seconds = d * 86400
		if !hasSecs {
			break
		}
		if seconds == 0 {
			name, value = "binlog_expire_logs_seconds", secs
		}
	}
	f := finding{Check: "expiry", Variable: name, Value: value, Status: statusPass,
		Why: fmt.Sprintf("binlogs are kept %.1f days: the window a backup may be down without a gap", seconds/86400)}
	switch {
	case seconds == 0:
		f.Status, f.Why = statusWarn, "binlogs never expire: the disk fills unless something purges them"
		f.Fix = s.set("binlog_expire_logs_seconds", "604800") + " (7 days; keep it longer than binlogbackup may be down)"
		if s.mariadb && !hasSecs {
			f.Fix = s.set("expire_logs_days", "7")
		}
	case seconds < 86400:
		f.Status, f.Why = statusWarn, fmt.Sprintf("binlogs are kept only %.1f hours: a backup down longer than that leaves a gap", seconds/3600)
		f.Fix = s.set("binlog_expire_logs_seconds", "604800")
	}
	return []finding{f}
}

// replication privileges, as mysql.user's columns name them.
var replPrivs = []string{"repl_slave_priv", "repl_client_priv"}

// accounts checks the accounts that may read the binlog.
func accounts(ctx context.Context, db *sql.DB, s *server) []finding {
	rows, err := db.QueryContext(ctx, "SELECT * FROM mysql.user")
	if err != nil {
		return []finding{{Check: "replication accounts", Variable: "mysql.user", Value: "(not readable)", Status: statusWarn,
			Why: "the accounts holding REPLICATION SLAVE or REPLICATION CLIENT cannot be listed: " + err.Error(), Fix: "run binlogcheck as an account with SELECT on mysql.user"}}
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	type account struct {
		user, host string
		extra      []string
		repl       bool
	}
	var list []account
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			break
		}
		var a account
		for i, c := range cols {
			lc := strings.ToLower(c)
			switch {
			case lc == "user":
				a.user = string(vals[i])
			case lc == "host":
				a.host = string(vals[i])
			case strings.HasSuffix(lc, "_priv") && string(vals[i]) == "Y":
				if slices.Contains(replPrivs, lc) {
					a.repl = true
				} else {
					a.extra = append(a.extra, strings.ToUpper(strings.TrimSuffix(lc, "_priv")))
				}
			}
		}
		if a.repl {
			list = append(list, a)
		}
	}
	var out []finding
	for _, a := range list {
		name := fmt.Sprintf("'%s'@'%s'", a.user, a.host)
		if a.user == "root" || strings.HasPrefix(a.user, "mysql.") || a.user == "mariadb.sys" {
			continue // administrators and the server's own accounts
		}
		f := finding{Check: "replication account", Variable: name, Value: "REPLICATION", Status: statusPass,
			Why: "holds the replication privileges and no more, from named hosts"}
		var why []string
		if a.host == "%" {
			f.Status = statusWarn
			why = append(why, "may connect from any host ('%'): a leaked password reads every change from anywhere")
		}
		if len(a.extra) > 0 {
			f.Status = statusWarn
			f.Value = "REPLICATION + " + strings.Join(a.extra, ", ")
			why = append(why, "holds more than replication needs (least privilege: REPLICATION SLAVE and REPLICATION CLIENT, BINLOG MONITOR on MariaDB)")
		}
		if len(why) > 0 {
			f.Why = strings.Join(why, "; ")
			fix := []string{}
			if a.host == "%" {
				fix = append(fix, fmt.Sprintf("RENAME USER %s TO '%s'@'backup-host.example';", name, a.user))
			}
			if len(a.extra) > 0 {
				fix = append(fix, fmt.Sprintf("REVOKE ALL PRIVILEGES, GRANT OPTION FROM %s; GRANT REPLICATION SLAVE, %s ON *.* TO %s;", name, map[bool]string{true: "BINLOG MONITOR", false: "REPLICATION CLIENT"}[s.mariadb], name))
			}
			f.Fix = strings.Join(fix, " ")
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		out = append(out, finding{Check: "replication accounts", Variable: "mysql.user", Value: "(none)", Status: statusPass,
			Why: "no account but root holds REPLICATION SLAVE or REPLICATION CLIENT"})
	}
	return out
}

// filePermissions checks, on the server's host, that no binlog file is
// readable by every user of the machine.
func filePermissions(s *server) []finding {
	base := s.vars["log_bin_basename"]
	me, _ := os.Hostname()
	if base == "" || me == "" || !strings.EqualFold(me, s.vars["hostname"]) {
		return nil // not on the server's host
	}
	files, _ := filepath.Glob(base + ".*")
	if len(files) == 0 {
		return nil
	}
	var open []string
	for _, p := range files {
		fi, err := os.Stat(p)
		if err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o004 != 0 {
			open = append(open, filepath.Base(p))
		}
	}
	f := finding{Check: "file permissions", Variable: filepath.Dir(base), Value: fmt.Sprintf("%d files", len(files)), Status: statusPass,
		Why: "no binlog file is readable by every user of this host"}
	if len(open) > 0 {
		f.Status = statusFail
		f.Value = strings.Join(open, " ")
		f.Why = fmt.Sprintf("%d binlog files are readable by every user of this host: they hold every changed row", len(open))
		f.Fix = fmt.Sprintf("chmod o-rwx %s.*; and UMask=0640 (UMASK in the service's environment) for the server", base)
	}
	return []finding{f}
}

// archiveGap checks that the server still holds what follows the archive's
// newest file.
func archiveGap(ctx context.Context, db *sql.DB, s *server, dir string) finding {
	f := finding{Check: "archive continuity", Variable: dir}
	entries, err := backup.Files(dir)
	if err != nil || len(entries) == 0 {
		f.Status, f.Value, f.Why = statusFail, "(no archive)", fmt.Sprintf("no binlog files in the directory (%v)", err)
		return f
	}
	last := entries[len(entries)-1]
	f.Value = fmt.Sprintf("%s:%d", last.Name, last.Size)
	rows, err := db.QueryContext(ctx, "SHOW BINARY LOGS")
	if err != nil {
		f.Status, f.Why = statusFail, "SHOW BINARY LOGS: "+err.Error()
		f.Fix = "GRANT REPLICATION CLIENT (BINLOG MONITOR on MariaDB) to the account binlogcheck runs as"
		return f
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		vals := make([]sql.RawBytes, 2)
		cols, _ := rows.Columns()
		ptrs := make([]any, len(cols))
		for i := range ptrs {
			if i < 2 {
				ptrs[i] = &vals[i]
			} else {
				ptrs[i] = new(sql.RawBytes)
			}
		}
		if rows.Scan(ptrs...) == nil {
			names = append(names, string(vals[0]))
		}
	}
	if len(names) == 0 {
		f.Status, f.Why = statusFail, "the server lists no binlog"
		return f
	}
	need := last.Name // the server must hold the file the archive continues from
	if last.Complete {
		need = next(last.Name)
	}
	oldest, newest := names[0], names[len(names)-1]
	switch {
	case base(oldest) != base(last.Name):
		f.Status, f.Why = statusFail, fmt.Sprintf("the server's binlogs are named %s…, the archive's %s…: not an archive of this server", base(oldest), base(last.Name))
	case backup.CompareNames(newest, last.Name) < 0:
		f.Status, f.Why = statusFail, fmt.Sprintf("the archive's newest file %s is newer than the server's %s: not an archive of this server, or its binlogs were reset", last.Name, newest)
	case backup.CompareNames(oldest, need) > 0:
		f.Status, f.Why = statusFail, fmt.Sprintf("purge gap: the archive continues from %s but the server's oldest binlog is %s: what lies between is lost to the archive", need, oldest)
		f.Fix = "binlogbackup --new-chain starts a new chain at the server's oldest binlog; take a new dump, since restores cannot cross the gap"
	default:
		f.Status, f.Why = statusPass, fmt.Sprintf("the server still holds %s and every binlog after the archive's newest (%d files from %s to %s)", need, len(names), oldest, newest)
	}
	return f
}

// next and base split binlog names.
func next(name string) string {
	i := strings.LastIndexByte(name, '.')
	n, err := strconv.Atoi(name[i+1:])
	if i < 0 || err != nil {
		return name
	}
	return fmt.Sprintf("%s.%0*d", name[:i], len(name)-i-1, n+1)
}

func base(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[:i]
	}
	return name
}
