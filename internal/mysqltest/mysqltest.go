// Package mysqltest starts private MySQL servers for tests: the MySQL
// counterpart of internal/mariadbtest, with the same API.
//
// The binaries are Debian's mysql-server-core and mysql-client-core from
// the sid suite (MySQL 9.7), fetched with the machine's apt tools through a
// private apt configuration and unpacked, with every library they need,
// into a cache outside the repository (see Prepare and CacheDir): nothing
// is installed system-wide, and the programs run through the packages' own
// dynamic loader. The first test process that needs them prepares them;
// others wait on a lock and reuse them; .ci/run prepares them before the
// tests (go run ./internal/mysqltest/cmd/prepare). Where apt-get, dpkg-deb,
// a Debian mirror or the packages are missing, Start skips the test, unless
// BINLOGKIT_REQUIRE_MYSQL is set (CI sets it once the preparation worked),
// which turns the skip into a failure. BINLOGKIT_MYSQL=off skips them on
// purpose.
//
// Start copies a data directory initialized once per installation (each
// copy gets its own server UUID), launches mysqld on a free TCP port of
// 127.0.0.1 and on its own Unix socket, with row-based binary logging (FULL
// images, FULL metadata, CRC32 checksums), gtid_mode=ON and
// enforce_gtid_consistency=ON, and stops it by PID when the test ends. It
// never connects to any other server: the system server (if any) is
// neither used nor touched. Statements go through the mysql command-line
// client, so the package needs no MySQL driver.
//
// # MySQL 9.7 beside MariaDB 10.11
//
// What the suites met that differs from MariaDB:
//   - Accounts authenticate with caching_sha2_password by default; over TCP
//     without TLS its full authentication needs the server's RSA key
//     (retrieved or configured) until the server has cached the account
//     (FLUSH PRIVILEGES empties that cache). sha256_password is still
//     offered (deprecated) and, unlike caching_sha2_password, counts only
//     TLS as secure: over a unix socket too the password must be
//     RSA-encrypted. The server side of mysql_native_password is gone; its
//     client side is a loadable plugin in PluginDir, so a MySQL 9 client
//     (mysqlbinlog, a replica's receiver) that meets a server asking for it
//     needs --plugin-dir.
//   - The server makes its own TLS certificates and RSA key pair in the
//     data directory (auto_generate_certs), so TLS is on by default, and a
//     9.7 replica asks for TLS unless CHANGE REPLICATION SOURCE TO says
//     SOURCE_SSL=0.
//   - SHOW MASTER STATUS is a syntax error: SHOW BINARY LOG STATUS (with an
//     Executed_Gtid_Set column); SHOW SLAVE STATUS and CHANGE MASTER TO are
//     gone: SHOW REPLICA STATUS, CHANGE REPLICATION SOURCE TO.
//   - GTIDs are uuid:n, and uuid:tag:n after SET gtid_next =
//     'AUTOMATIC:tag' (tags are stored lower-case); @@gtid_executed
//     separates UUIDs with ",\n". COM_BINLOG_DUMP_GTID starts in the newest
//     file whose PREVIOUS_GTIDS the replica has, and the server reads the
//     replica's set whether or not BINLOG_THROUGH_GTID is set (mysqlbinlog
//     --exclude-gtids sends none).
//   - Crash recovery clears the in-use flag of the binlog a kill -9
//     interrupted (MariaDB leaves it set) and trims a torn tail; the server
//     clears the flag in the FORMAT_DESCRIPTION of the file it is writing
//     when it sends it, as MariaDB does.
//   - A clean shutdown with a binlog dump connected takes about 8 s more
//     (the server gives the dump thread a chance to end), with mysqlbinlog
//     as with binlog.Dial.
//   - Semi-sync is the rpl_semi_sync_source plugin (semisync_source.so),
//     installed at run time; its variables and status are
//     rpl_semi_sync_source_*; it cannot be uninstalled while the server
//     still counts a semi-sync replica.
//   - The default collation is utf8mb4_0900_ai_ci; there is no sequence
//     engine (seq_1_to_N): recursive CTEs (with cte_max_recursion_depth
//     raised) make rows instead.
//   - The performance schema doubles a server's memory (about 530 MB
//     against 280 MB); Start turns it off.
//
// What the round-trip, flashback and dump suites met in the binlogs and in
// MySQL's own tools:
//   - A value for a generated column is an error (ERROR 3105), where
//     MariaDB ignores it with a warning outside strict mode; neither
//     binlog_row_metadata=MINIMAL nor FULL flags generated columns, and the
//     hidden columns of functional indexes are not in the Table_map at all.
//   - With gtid_mode=ON, CREATE TABLE … SELECT is one transaction: a QUERY
//     "CREATE TABLE … (…) START TRANSACTION ENGINE=…", the rows, an XID; a
//     client given that statement accepts nothing but BINLOG statements
//     after it (ERROR 3977). A rollback binlog without GTID events applied
//     with mysqlbinlog | mysql is refused (ERROR 1782) unless each
//     transaction sets GTID_NEXT='AUTOMATIC'.
//   - binlog_row_value_options=PARTIAL_JSON logs every UPDATE, JSON or not,
//     as PARTIAL_UPDATE_ROWS; JSON_SET/JSON_REPLACE/JSON_REMOVE change the
//     stored document in place and leave holes (JSON_STORAGE_FREE), yet a
//     row is found by a before image holding the same JSON serialized
//     afresh, keyless tables included.
//   - JSON keeps the SQL types of the values JSON_OBJECT and JSON_ARRAY are
//     given (opaque DECIMAL, DATE, TIME, DATETIME, binary strings; YEAR as
//     an unsigned integer; 1.5 is a DECIMAL, 1.5e0 a DOUBLE), which
//     CAST(text AS JSON) cannot rebuild; CHECKSUM TABLE compares JSON by
//     its text. CHECKSUM TABLE … EXTENDED of a table with a multi-valued
//     index gives a different number at every call.
//   - Every rows event carries the flag USE_SQL_FOREIGN_KEY_F (0x10).
//   - mysqlbinlog -vv prints a statement's rows after the header of its
//     last rows event; escapes ' and \ in strings; prints VECTOR as %.5e
//     elements but names the k-th present VECTOR column of a MINIMAL image
//     after the table's k-th; cannot print GEOMETRY ("!! Don't know how to
//     handle column type=255", and nothing more of that rows event); prints
//     a JSON document that is a string without its quotes; prints for each
//     event inside a TRANSACTION_PAYLOAD the CRC32 it would have on its own.
//
// The package only serves tests of this module; it is internal on purpose.
package mysqltest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Time limits. They are generous because the machine running the tests may
// be busy; a healthy server starts in about a second.
const (
	readyTimeout   = 60 * time.Second // from exec to the first successful SELECT 1
	stopTimeout    = 30 * time.Second // from SIGTERM to SIGKILL
	clientLimit    = 5 * time.Minute  // one run of the mysql client
	prepareTimeout = 10 * time.Minute // fetching and unpacking the packages
)

// RequireEnv names the environment variable that turns Start's skips into
// failures: CI sets it after preparing MySQL, so that a harness that
// breaks later cannot pass as "skipped".
const RequireEnv = "BINLOGKIT_REQUIRE_MYSQL"

var (
	installOnce sync.Once
	installed   *Install
	installErr  error
)

// Installation returns the prepared MySQL (preparing it on first use, see
// Prepare). It skips the test when MySQL cannot be had on this machine and
// fails it when the preparation broke.
func Installation(t testing.TB) *Install {
	t.Helper()
	installOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), prepareTimeout)
		defer cancel()
		installed, installErr = Prepare(ctx, PrepareOptions{})
	})
	if installErr != nil {
		if !errors.Is(installErr, ErrUnavailable) {
			t.Fatalf("%v", installErr)
		}
		if os.Getenv(RequireEnv) == "" {
			t.Skipf("%v (set %s=1 to fail instead of skipping)", installErr, RequireEnv)
		}
		t.Fatalf("%v (%s is set: no skipping)", installErr, RequireEnv)
	}
	return installed
}

// Option changes how Start launches the server.
type Option func(*config)

type config struct {
	args     []string
	serverID uint32
	keyring  string // WithKeyring
}

// WithArgs appends arguments to the mysqld command line, after the
// package's own; for most options the last occurrence wins, so
// WithArgs("--binlog-row-image=MINIMAL") overrides the default FULL image.
func WithArgs(args ...string) Option {
	return func(c *config) { c.args = append(c.args, args...) }
}

// WithServerID sets --server-id (default 1).
func WithServerID(id uint32) Option {
	return func(c *config) { c.serverID = id }
}

// Server is a running (or stopped) private mysqld. Its methods are safe
// for use by one goroutine at a time.
type Server struct {
	in *Install

	dir     string // t.TempDir: data/, binlog/, tmp/, error.log
	dataDir string
	binDir  string
	socket  string
	errLog  string
	port    int
	args    []string // mysqld arguments except --port
	extra   []string // WithArgs, after ours and after --port
	mysqld  string   // the program's link (WithKeyring), else ""

	mu   sync.Mutex
	proc *process // nil when stopped
}

// process is one run of mysqld.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when Wait returns
	err  error         // Wait's result, valid after done
}

// Start launches a private mysqld and returns it once it accepts
// connections. It skips the test when MySQL cannot be prepared (see
// Installation) and fails it (with the tail of the server's error log)
// when the server does not come up within 60 s. The server is stopped by
// t.Cleanup. The MySQL version is logged.
//
// The server runs with --log-bin=BinlogDir()/binlog, --binlog-format=ROW,
// --binlog-row-image=FULL, --binlog-row-metadata=FULL,
// --binlog-checksum=CRC32, --gtid-mode=ON, --enforce-gtid-consistency=ON,
// --character-set-server=utf8mb4 and --default-time-zone=+00:00, without
// the X plugin and with --secure-file-priv empty; the user root has an
// empty password over the socket (root@localhost) and over TCP
// (root@127.0.0.1), both caching_sha2_password.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{serverID: 1}
	for _, o := range opts {
		o(&cfg)
	}
	in := Installation(t)
	tmpl, err := in.template(t)
	if err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
	s := &Server{in: in}
	s.dir = t.TempDir()
	s.dataDir = filepath.Join(s.dir, "data")
	s.binDir = filepath.Join(s.dir, "binlog")
	s.errLog = filepath.Join(s.dir, "error.log")
	tmp := filepath.Join(s.dir, "tmp")
	for _, d := range []string{s.binDir, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("mysqltest: %v", err)
		}
	}
	if err := copyTemplate(tmpl, s.dataDir); err != nil {
		t.Fatalf("mysqltest: copying the initial data directory: %v", err)
	}
	// A Unix socket path is limited to 107 bytes; long test names make long
	// temp dirs, so fall back to a short directory of our own.
	s.socket = filepath.Join(s.dir, "mysqld.sock")
	if len(s.socket) > 100 {
		short, err := os.MkdirTemp("", "myst")
		if err != nil {
			t.Fatalf("mysqltest: %v", err)
		}
		t.Cleanup(func() { os.RemoveAll(short) })
		s.socket = filepath.Join(short, "s")
	}
	s.port, err = pickPort()
	if err != nil {
		t.Fatalf("mysqltest: choosing a port: %v", err)
	}
	s.args = append(in.serverArgs(s.dataDir, tmp),
		"--socket="+s.socket,
		"--bind-address=127.0.0.1",
		"--pid-file="+filepath.Join(s.dir, "mysqld.pid"),
		"--log-error="+s.errLog,
		"--log-bin="+filepath.Join(s.binDir, "binlog"),
		"--relay-log="+filepath.Join(s.dir, "relay"),
		"--binlog-format=ROW",
		"--binlog-row-image=FULL",
		"--binlog-row-metadata=FULL",
		"--binlog-checksum=CRC32",
		"--gtid-mode=ON",
		"--enforce-gtid-consistency=ON",
		"--server-id="+strconv.FormatUint(uint64(cfg.serverID), 10),
		"--character-set-server=utf8mb4",
		"--default-time-zone=+00:00",
		"--skip-name-resolve",
		"--mysqlx=OFF",
		"--secure-file-priv=",
		"--innodb-buffer-pool-size=32M",
		"--innodb-redo-log-capacity=32M",
		// The performance schema doubles the server's memory (280 MB to
		// 530 MB); WithArgs("--performance-schema=ON") brings it back.
		"--performance-schema=OFF",
		"--max-connections=50",
	)
	s.extra = cfg.args
	if cfg.keyring != "" {
		if err := s.setupKeyring(cfg.keyring); err != nil {
			t.Fatalf("mysqltest: WithKeyring: %v", err)
		}
	}

	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("mysqltest: stopping the server: %v", err)
		}
	})
	t0 := time.Now()
	s.start(t, true)
	t.Logf("mysqltest: MySQL %s (Debian %s) started in %v on port %d, pid %d", in.ServerVersion(), in.Version,
		time.Since(t0).Round(time.Millisecond), s.port, s.PID())
	return s
}

// serverArgs are the mysqld arguments that point it at the installation
// and at its own directories.
func (in *Install) serverArgs(dataDir, tmpDir string) []string {
	args := []string{
		"--no-defaults",
		"--basedir=" + filepath.Join(in.Root, "usr"),
		"--datadir=" + dataDir,
		"--tmpdir=" + tmpDir,
		"--lc-messages-dir=" + in.ShareDir(),
		"--character-sets-dir=" + filepath.Join(in.ShareDir(), "charsets"),
		"--plugin-dir=" + in.PluginDir(),
	}
	if os.Geteuid() == 0 {
		args = append(args, "--user=root")
	}
	return args
}

// initSQL runs once when the template data directory is made: root gets a
// TCP account with an empty password, as mariadb-install-db gives it.
const initSQL = `CREATE USER 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER 'root'@'::1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION;
`

// templateName names the template data directory after what makes it
// (initSQL, the initialization's arguments), so that a change of either
// makes a new one instead of reusing a stale one.
var templateName = func() string {
	h := sha256.Sum256([]byte(initSQL + "\x00" + strings.Join(initArgs, "\x00")))
	return "template-" + hex.EncodeToString(h[:4])
}()

// initArgs are the arguments of mysqld --initialize-insecure besides the
// directories.
var initArgs = []string{
	"--initialize-insecure",
	// A small redo log keeps the template, copied for every server,
	// small; the server resizes it to its own setting.
	"--innodb-redo-log-capacity=16M",
}

// template returns a data directory initialized once per installation
// (mysqld --initialize-insecure, 2-3 s) for Start to copy.
func (in *Install) template(t testing.TB) (string, error) {
	dir := filepath.Join(in.dir, templateName)
	data := filepath.Join(dir, "data")
	if _, err := os.Stat(filepath.Join(dir, readyFile)); err == nil {
		return data, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	unlock, err := lockFile(ctx, filepath.Join(filepath.Dir(in.dir), "mysql.lock"), t.Logf)
	if err != nil {
		return "", err
	}
	defer unlock()
	if _, err := os.Stat(filepath.Join(dir, readyFile)); err == nil {
		return data, nil
	}
	if err := in.initTemplate(ctx, dir); err != nil {
		return "", err
	}
	return data, nil
}

// initTemplate makes the template data directory in dir.
func (in *Install) initTemplate(ctx context.Context, dir string) error {
	os.RemoveAll(dir)
	stage, err := os.MkdirTemp(in.dir, "template.tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	tmp := filepath.Join(stage, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	initFile := filepath.Join(stage, "init.sql")
	if err := os.WriteFile(initFile, []byte(initSQL), 0o644); err != nil {
		return err
	}
	errLog := filepath.Join(stage, "init.log")
	args := append(in.serverArgs(filepath.Join(stage, "data"), tmp), initArgs...)
	args = append(args, "--init-file="+initFile, "--log-error="+errLog)
	out, err := in.CommandContext(ctx, "mysqld", args...).CombinedOutput()
	if err != nil {
		log, _ := os.ReadFile(errLog)
		return fmt.Errorf("mysqld --initialize-insecure: %v\n%s%s", err, tail(out, 10), tail(log, 30))
	}
	os.RemoveAll(tmp)
	if err := os.WriteFile(filepath.Join(stage, readyFile), []byte(in.Version+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(stage, dir)
}

// copyTemplate copies the template data directory to dataDir, without
// auto.cnf, which holds the server UUID (each copy makes its own, as
// replication between two of them requires), and without the spare redo
// log files InnoDB makes again as it needs them.
func copyTemplate(tmpl, dataDir string) error {
	return copyDir(tmpl, dataDir, func(rel string) bool {
		return rel == "auto.cnf" || filepath.Dir(rel) == "#innodb_redo" && strings.HasSuffix(rel, "_tmp")
	})
}

// pickPort chooses the server's port; tests replace it to provoke a clash.
var pickPort = freePort

// freePort asks the kernel for a free port on 127.0.0.1 and releases it.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start launches mysqld and waits until it answers. The port was free a
// moment ago but another process may have taken it since; the server then
// exits at once, and start tries again, with a new port when newPort is set
// (first start) and with the same one otherwise (Restart promises it).
func (s *Server) start(t testing.TB, newPort bool) {
	t.Helper()
	deadline := time.Now().Add(readyTimeout)
	for attempt := 1; ; attempt++ {
		logStart := fileSize(s.errLog)
		p, err := s.spawn()
		if err != nil {
			t.Fatalf("mysqltest: starting mysqld: %v", err)
		}
		s.mu.Lock()
		s.proc = p
		s.mu.Unlock()
		err = s.waitReady(p, deadline)
		if err == nil {
			return
		}
		log := s.logTail(logStart, 40)
		s.stop()
		if attempt < 5 && time.Now().Before(deadline) && strings.Contains(log, "Address already in use") {
			if newPort {
				if port, err := pickPort(); err == nil {
					s.port = port
				}
			}
			time.Sleep(200 * time.Millisecond)
			continue
		}
		t.Fatalf("mysqltest: mysqld did not start: %v\n--- tail of %s ---\n%s", err, s.errLog, log)
	}
}

func (s *Server) spawn() (*process, error) {
	args := append(append(s.args[:len(s.args):len(s.args)], "--port="+strconv.Itoa(s.port)), s.extra...)
	cmd := s.command(args...)
	cmd.Dir = s.dir
	// The server writes to --log-error; anything printed before that file is
	// open (bad options) goes to the same file.
	f, err := os.OpenFile(s.errLog, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd.Stdout, cmd.Stderr = f, f
	setParentDeathSignal(cmd)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// waitReady polls SELECT 1 through the socket until it succeeds, the
// process exits or the deadline passes.
func (s *Server) waitReady(p *process, deadline time.Time) error {
	for {
		select {
		case <-p.done:
			return fmt.Errorf("mysqld exited: %v", p.err)
		default:
		}
		var err error
		// The socket appears when the server is ready for connections;
		// before that, spare the machine a client run per poll.
		if _, err = os.Stat(s.socket); err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			cmd := s.in.CommandContext(ctx, "mysql", append(s.clientArgs(), "-e", "SELECT 1")...)
			err = cmd.Run()
			cancel()
			if err == nil {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer within %v (last client error: %v)", readyTimeout, err)
		}
		select {
		case <-p.done:
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM to the running process, waits for it and sends
// SIGKILL after stopTimeout. It is a no-op when the server is stopped.
func (s *Server) stop() error {
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return nil
	}
	select {
	case <-p.done:
		return nil // already gone (crashed, or failed to start)
	default:
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(stopTimeout):
	}
	p.cmd.Process.Kill()
	select {
	case <-p.done:
		return fmt.Errorf("mysqld (pid %d) ignored SIGTERM for %v and was killed", p.cmd.Process.Pid, stopTimeout)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("mysqld (pid %d) survived SIGKILL", p.cmd.Process.Pid)
	}
}

// Stop shuts the server down (SIGTERM, then SIGKILL after 30 s) and waits
// for the process to exit. The data directory and binary logs stay; the
// shutdown closes the current binary log with a STOP event. Stopping a
// stopped server does nothing.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
}

// Restart stops the server if it runs and starts it again on the same data
// directory, port and socket. The server opens a new binary log file.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	t0 := time.Now()
	s.Stop(t)
	s.start(t, false)
	t.Logf("mysqltest: restarted in %v (pid %d)", time.Since(t0).Round(time.Millisecond), s.PID())
}

// Kill sends SIGKILL to the running server, as a crash would, and waits for
// it to exit: the current binary log is left without a STOP event and, when
// the kill lands inside a write, with a torn last event. Start it again with
// Restart (crash recovery runs then). Killing a stopped server does nothing.
func (s *Server) Kill(t testing.TB) {
	t.Helper()
	s.mu.Lock()
	p := s.proc
	s.proc = nil
	s.mu.Unlock()
	if p == nil {
		return
	}
	if err := p.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		t.Fatalf("mysqltest: kill: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("mysqltest: mysqld (pid %d) survived SIGKILL", p.cmd.Process.Pid)
	}
}

// PID returns the process id of the running mysqld, or 0 when stopped.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// Install returns the installation the server runs from (its version, its
// client programs).
func (s *Server) Install() *Install { return s.in }

// Port returns the TCP port the server listens on (on 127.0.0.1).
func (s *Server) Port() int { return s.port }

// Socket returns the path of the server's Unix socket.
func (s *Server) Socket() string { return s.socket }

// DataDir returns the server's data directory. It holds the TLS
// certificates (ca.pem, server-cert.pem, …) and the RSA key pair
// (public_key.pem, private_key.pem) the server made for itself.
func (s *Server) DataDir() string { return s.dataDir }

// ErrorLog returns the path of the server's error log.
func (s *Server) ErrorLog() string { return s.errLog }

// BinlogDir returns the directory holding the binary logs (binlog.000001,
// …) and their index file binlog.index.
func (s *Server) BinlogDir() string { return s.binDir }

// DSN returns a go-sql-driver/mysql data source name for user root without
// password and without default database: "root@tcp(127.0.0.1:PORT)/".
func (s *Server) DSN() string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/", s.port)
}

// BinlogFiles returns the absolute paths of the binary log files in the
// order of the server's index file, oldest first. The last one may still be
// written to while the server runs.
func (s *Server) BinlogFiles(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(s.binDir, "binlog.index"))
	if err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
	var files []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		if !filepath.IsAbs(line) {
			line = filepath.Join(s.dataDir, line)
		}
		files = append(files, filepath.Clean(line))
	}
	return files
}

// FlushLogs runs FLUSH BINARY LOGS: the current binary log is closed (with
// a ROTATE event) and a new one is opened.
func (s *Server) FlushLogs(t testing.TB) {
	t.Helper()
	s.Exec(t, "FLUSH BINARY LOGS")
}

// GTIDExecuted returns @@global.gtid_executed on one line (MySQL separates
// the UUIDs of the set with ",\n").
func (s *Server) GTIDExecuted(t testing.TB) string {
	t.Helper()
	return strings.ReplaceAll(s.Query(t, "SELECT @@global.gtid_executed"), `\n`, "")
}

// PurgeTo runs PURGE BINARY LOGS TO name and waits until the server's
// oldest binary log is name. The server stops a purge, with only a warning,
// at a file a replication connection still reads: a dump thread of a client
// that has just closed may live on for a moment, so the purge is retried
// for up to 10 seconds before the test fails.
func (s *Server) PurgeTo(t testing.TB, name string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.Exec(t, "PURGE BINARY LOGS TO '"+name+"'")
		files := s.BinlogFiles(t)
		if len(files) > 0 && filepath.Base(files[0]) == name {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("mysqltest: PURGE BINARY LOGS TO '%s' left %d binary logs: %v", name, len(files), files)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Exec runs one or more SQL statements (separated by ';') and fails the
// test if any fails.
func (s *Server) Exec(t testing.TB, sql string) {
	t.Helper()
	if _, err := s.run(strings.NewReader(sql)); err != nil {
		t.Fatalf("mysqltest: Exec %s: %v", abbrev(sql), err)
	}
}

// Query runs SQL and returns what the client prints in batch mode without
// column names: one line per row, columns separated by tabs, NULL as
// "NULL", and tab, newline, backslash and NUL escaped as \t, \n, \\ and \0.
// The final newline is removed.
func (s *Server) Query(t testing.TB, sql string) string {
	t.Helper()
	out, err := s.run(strings.NewReader(sql))
	if err != nil {
		t.Fatalf("mysqltest: Query %s: %v", abbrev(sql), err)
	}
	return strings.TrimSuffix(out, "\n")
}

// ExecFile runs the SQL script at path, as `mysql < path` would.
func (s *Server) ExecFile(t testing.TB, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("mysqltest: %v", err)
	}
	defer f.Close()
	if _, err := s.run(f); err != nil {
		t.Fatalf("mysqltest: ExecFile %s: %v", path, err)
	}
}

// Client returns a command running a client program of the installation
// (mysql, mysqlbinlog, mysqldump, mysqladmin, …) connected to this server
// as root over its socket: --no-defaults, --plugin-dir, --user=root,
// --socket and --protocol=socket come before args.
func (s *Server) Client(name string, args ...string) *exec.Cmd {
	return s.in.Command(name, append([]string{
		"--no-defaults",
		"--plugin-dir=" + s.in.PluginDir(),
		"--user=root",
		"--socket=" + s.socket,
		"--protocol=socket",
	}, args...)...)
}

// clientArgs are the arguments of every mysql client run. --no-defaults
// keeps ~/.my.cnf (which may point at the system server) out.
func (s *Server) clientArgs() []string {
	return []string{
		"--no-defaults",
		"--plugin-dir=" + s.in.PluginDir(),
		"--user=root",
		"--socket=" + s.socket,
		"--protocol=socket",
		"--default-character-set=utf8mb4",
		"--batch",
		"--skip-column-names",
		"--binary-mode",
	}
}

// run feeds stdin to the mysql client and returns its standard output.
func (s *Server) run(stdin io.Reader) (string, error) {
	if s.PID() == 0 {
		return "", errors.New("the server is stopped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientLimit)
	defer cancel()
	cmd := s.in.CommandContext(ctx, "mysql", s.clientArgs()...)
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	return stdout.String(), nil
}

// cleanEnv is the environment without MYSQL_* variables, which the client
// would otherwise honour (MYSQL_PWD, MYSQL_HOST, MYSQL_TCP_PORT, …).
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MYSQL_") && !strings.HasPrefix(kv, "LIBMYSQL_") {
			env = append(env, kv)
		}
	}
	return env
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// logTail returns the last n lines the error log received since offset from.
func (s *Server) logTail(from int64, n int) string {
	data, err := os.ReadFile(s.errLog)
	if err != nil {
		return "(no error log: " + err.Error() + ")"
	}
	if from <= int64(len(data)) {
		data = data[from:]
	}
	return string(tail(data, n))
}

// abbrev shortens SQL for error messages.
func abbrev(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 200 {
		sql = sql[:200] + "…"
	}
	return strconv.Quote(sql)
}
