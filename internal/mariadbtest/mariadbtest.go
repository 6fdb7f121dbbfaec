// Package mariadbtest starts private MariaDB servers for tests.
//
// Start installs a fresh data directory under t.TempDir, launches mariadbd on
// a free TCP port of 127.0.0.1 and on its own Unix socket, with row-based
// binary logging (FULL images, FULL metadata, CRC32 checksums), and stops it
// when the test ends. It never connects to any other server: the system
// server (if any) is neither used nor touched.
//
// Statements go through the mariadb command-line client, so the package needs
// no MySQL driver; tests that want a driver can use DSN. When mariadbd,
// mariadb-install-db or mariadb are not installed, Start skips the test.
//
// The package only serves tests of this module; it is internal on purpose.
package mariadbtest

import (
	"bufio"
	"bytes"
	"context"
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
// be busy; a healthy server starts in well under a second.
const (
	readyTimeout = 30 * time.Second // from exec to the first successful SELECT 1
	stopTimeout  = 30 * time.Second // from SIGTERM to SIGKILL
	clientLimit  = 5 * time.Minute  // one run of the mariadb client
)

// extraBinDirs are searched after $PATH: Debian puts mariadbd in /usr/sbin,
// which is not on every user's PATH, and tarball installs use /usr/local/mysql/bin.
var extraBinDirs = []string{"/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/local/mysql/sbin"}

// Option changes how Start launches the server.
type Option func(*config)

type config struct {
	args     []string
	serverID uint32
}

// WithArgs appends arguments to the mariadbd command line, after the
// package's own; for most options the last occurrence wins, so
// WithArgs("--binlog-row-image=MINIMAL") overrides the default FULL image.
func WithArgs(args ...string) Option {
	return func(c *config) { c.args = append(c.args, args...) }
}

// WithServerID sets --server-id (default 1).
func WithServerID(id uint32) Option {
	return func(c *config) { c.serverID = id }
}

// Server is a running (or stopped) private mariadbd. Its methods are safe
// for use by one goroutine at a time.
type Server struct {
	mariadbd string // paths of the binaries
	client   string

	dir     string // t.TempDir: data/, binlog/, tmp/, error.log
	dataDir string
	binDir  string
	socket  string
	errLog  string
	port    int
	args    []string // mariadbd arguments except --port
	extra   []string // WithArgs, after ours and after --port

	mu   sync.Mutex
	proc *process // nil when stopped
}

// process is one run of mariadbd.
type process struct {
	cmd  *exec.Cmd
	done chan struct{} // closed when Wait returns
	err  error         // Wait's result, valid after done
}

// Start launches a private mariadbd and returns it once it accepts
// connections. It skips the test when the MariaDB binaries are missing and
// fails it (with the tail of the server's error log) when the server does
// not come up within 30 s. The server is stopped by t.Cleanup.
//
// The server runs with --log-bin=BinlogDir()/binlog, --binlog-format=ROW,
// --binlog-row-image=FULL, --binlog-row-metadata=FULL,
// --binlog-checksum=CRC32, --character-set-server=utf8mb4 and
// --default-time-zone=+00:00; the user root has an empty password over the
// socket and over TCP.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	cfg := config{serverID: 1}
	for _, o := range opts {
		o(&cfg)
	}
	bins, missing := findBinaries("mariadbd", "mariadb-install-db", "mariadb")
	if len(missing) > 0 {
		t.Skipf("mariadbtest: MariaDB is not installed (%s not found on $PATH or in %s); install the MariaDB server and client to run this test",
			strings.Join(missing, ", "), strings.Join(extraBinDirs, ", "))
	}
	s := &Server{mariadbd: bins[0], client: bins[2]}
	s.dir = t.TempDir()
	s.dataDir = filepath.Join(s.dir, "data")
	s.binDir = filepath.Join(s.dir, "binlog")
	s.errLog = filepath.Join(s.dir, "error.log")
	tmp := filepath.Join(s.dir, "tmp")
	for _, d := range []string{s.binDir, tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("mariadbtest: %v", err)
		}
	}
	// A Unix socket path is limited to 107 bytes; long test names make long
	// temp dirs, so fall back to a short directory of our own.
	s.socket = filepath.Join(s.dir, "mysqld.sock")
	if len(s.socket) > 100 {
		short, err := os.MkdirTemp("", "mdbt")
		if err != nil {
			t.Fatalf("mariadbtest: %v", err)
		}
		t.Cleanup(func() { os.RemoveAll(short) })
		s.socket = filepath.Join(short, "s")
	}

	install := []string{
		"--no-defaults",
		"--auth-root-authentication-method=normal",
		"--datadir=" + s.dataDir,
		"--skip-test-db",
		// Passed on to the bootstrap server: its temporary tables go to
		// this server's own directory, not /tmp, which concurrent
		// bootstraps (test packages run in parallel) share.
		"--tmpdir=" + tmp,
	}
	if os.Geteuid() == 0 {
		install = append(install, "--user=root")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	out, err := exec.CommandContext(ctx, bins[1], install...).CombinedOutput()
	cancel()
	if err != nil {
		t.Fatalf("mariadbtest: %s %s: %v\n%s", bins[1], strings.Join(install, " "), err, tail(out, 40))
	}

	s.port, err = pickPort()
	if err != nil {
		t.Fatalf("mariadbtest: choosing a port: %v", err)
	}
	s.args = []string{
		"--no-defaults",
		"--datadir=" + s.dataDir,
		"--tmpdir=" + tmp,
		"--socket=" + s.socket,
		"--bind-address=127.0.0.1",
		"--pid-file=" + filepath.Join(s.dir, "mariadbd.pid"),
		"--log-error=" + s.errLog,
		"--log-bin=" + filepath.Join(s.binDir, "binlog"),
		"--binlog-format=ROW",
		"--binlog-row-image=FULL",
		"--binlog-row-metadata=FULL",
		"--binlog-checksum=CRC32",
		"--server-id=" + strconv.FormatUint(uint64(cfg.serverID), 10),
		"--character-set-server=utf8mb4",
		"--collation-server=utf8mb4_general_ci",
		"--default-time-zone=+00:00",
		"--skip-name-resolve",
		"--innodb-buffer-pool-size=16M",
		"--innodb-log-file-size=4M",
		"--max-connections=50",
	}
	if os.Geteuid() == 0 {
		s.args = append(s.args, "--user=root")
	}
	s.extra = cfg.args

	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("mariadbtest: stopping the server: %v", err)
		}
	})
	s.start(t, true)
	return s
}

// findBinaries resolves each name on $PATH, then in extraBinDirs.
func findBinaries(names ...string) (paths, missing []string) {
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			for _, d := range extraBinDirs {
				c := filepath.Join(d, n)
				if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
					p = c
					break
				}
			}
		}
		if p == "" {
			missing = append(missing, n)
		}
		paths = append(paths, p)
	}
	return paths, missing
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

// start launches mariadbd and waits until it answers. The port was free a
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
			t.Fatalf("mariadbtest: starting %s: %v", s.mariadbd, err)
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
		t.Fatalf("mariadbtest: mariadbd did not start: %v\n--- tail of %s ---\n%s", err, s.errLog, log)
	}
}

func (s *Server) spawn() (*process, error) {
	args := append(append(s.args[:len(s.args):len(s.args)], "--port="+strconv.Itoa(s.port)), s.extra...)
	cmd := exec.Command(s.mariadbd, args...)
	cmd.Env = cleanEnv()
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
			return fmt.Errorf("mariadbd exited: %v", p.err)
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cmd := exec.CommandContext(ctx, s.client, s.clientArgs()...)
		cmd.Env = cleanEnv()
		cmd.Args = append(cmd.Args, "-e", "SELECT 1")
		err := cmd.Run()
		cancel()
		if err == nil {
			return nil
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
		return fmt.Errorf("mariadbd (pid %d) ignored SIGTERM for %v and was killed", p.cmd.Process.Pid, stopTimeout)
	case <-time.After(10 * time.Second):
		return fmt.Errorf("mariadbd (pid %d) survived SIGKILL", p.cmd.Process.Pid)
	}
}

// Stop shuts the server down (SIGTERM, then SIGKILL after 30 s) and waits
// for the process to exit. The data directory and binary logs stay; the
// shutdown closes the current binary log with a STOP event. Stopping a
// stopped server does nothing.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop(); err != nil {
		t.Fatalf("mariadbtest: %v", err)
	}
}

// Restart stops the server if it runs and starts it again on the same data
// directory, port and socket. The server opens a new binary log file.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Stop(t)
	s.start(t, false)
}

// Kill sends SIGKILL to the running server, as a crash would, and waits for
// it to exit: the current binary log is left without a STOP event and, when
// the kill lands inside a write, with a torn last event. Start it again with
// Restart. Killing a stopped server does nothing.
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
		t.Fatalf("mariadbtest: kill: %v", err)
	}
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("mariadbtest: mariadbd (pid %d) survived SIGKILL", p.cmd.Process.Pid)
	}
}

// PID returns the process id of the running mariadbd, or 0 when stopped.
func (s *Server) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc == nil {
		return 0
	}
	return s.proc.cmd.Process.Pid
}

// Port returns the TCP port the server listens on (on 127.0.0.1).
func (s *Server) Port() int { return s.port }

// Socket returns the path of the server's Unix socket.
func (s *Server) Socket() string { return s.socket }

// DataDir returns the server's data directory.
func (s *Server) DataDir() string { return s.dataDir }

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
		t.Fatalf("mariadbtest: %v", err)
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
			t.Fatalf("mariadbtest: PURGE BINARY LOGS TO '%s' left %d binary logs: %v", name, len(files), files)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Exec runs one or more SQL statements (separated by ';') and fails the
// test if any fails.
func (s *Server) Exec(t testing.TB, sql string) {
	t.Helper()
	if _, err := s.run(strings.NewReader(sql)); err != nil {
		t.Fatalf("mariadbtest: Exec %s: %v", abbrev(sql), err)
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
		t.Fatalf("mariadbtest: Query %s: %v", abbrev(sql), err)
	}
	return strings.TrimSuffix(out, "\n")
}

// ExecFile runs the SQL script at path, as `mariadb < path` would.
func (s *Server) ExecFile(t testing.TB, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("mariadbtest: %v", err)
	}
	defer f.Close()
	if _, err := s.run(f); err != nil {
		t.Fatalf("mariadbtest: ExecFile %s: %v", path, err)
	}
}

// clientArgs are the arguments of every mariadb client run. --no-defaults
// keeps ~/.my.cnf (which may point at the system server) out.
func (s *Server) clientArgs() []string {
	return []string{
		"--no-defaults",
		"--user=root",
		"--socket=" + s.socket,
		"--protocol=socket",
		"--default-character-set=utf8mb4",
		"--batch",
		"--skip-column-names",
		"--binary-mode",
	}
}

// run feeds stdin to the mariadb client and returns its standard output.
func (s *Server) run(stdin io.Reader) (string, error) {
	if s.PID() == 0 {
		return "", errors.New("the server is stopped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.client, s.clientArgs()...)
	cmd.Env = cleanEnv()
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
		if !strings.HasPrefix(kv, "MYSQL_") && !strings.HasPrefix(kv, "MARIADB_") {
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

// tail returns the last n lines of b.
func tail(b []byte, n int) []byte {
	b = bytes.TrimRight(b, "\n")
	end := len(b)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			if n--; n == 0 {
				return b[i+1 : end]
			}
		}
	}
	return b
}

// abbrev shortens SQL for error messages.
func abbrev(sql string) string {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 200 {
		sql = sql[:200] + "…"
	}
	return strconv.Quote(sql)
}
