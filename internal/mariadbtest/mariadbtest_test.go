package mariadbtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestServer starts a private server, writes rows, rotates the binary log,
// restarts on the same port and data, and checks that Stop leaves no process.
func TestServer(t *testing.T) {
	t0 := time.Now()
	s := Start(t, WithServerID(42))
	t.Logf("server started in %v (port %d, pid %d)", time.Since(t0).Round(time.Millisecond), s.Port(), s.PID())

	if got := s.Query(t, "SELECT @@server_id, @@binlog_format, @@binlog_row_image, @@binlog_row_metadata, @@binlog_checksum, @@port"); got != "42\tROW\tFULL\tFULL\tCRC32\t"+strconv.Itoa(s.Port()) {
		t.Errorf("server settings = %q", got)
	}
	s.Exec(t, "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB")
	s.Exec(t, "INSERT INTO d.t VALUES (1, 'one'), (2, NULL), (3, 'tab\there')")
	if got, want := s.Query(t, "SELECT * FROM d.t ORDER BY id"), "1\tone\n2\tNULL\n3\ttab\\there"; got != want {
		t.Errorf("Query = %q, want %q", got, want)
	}
	script := filepath.Join(t.TempDir(), "w.sql")
	if err := os.WriteFile(script, []byte("UPDATE d.t SET v = 'two' WHERE id = 2;\nDELETE FROM d.t WHERE id = 3;\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.ExecFile(t, script)
	if got, want := s.Query(t, "SELECT group_concat(v ORDER BY id) FROM d.t"), "one,two"; got != want {
		t.Errorf("after ExecFile: %q, want %q", got, want)
	}
	s.FlushLogs(t)

	files := s.BinlogFiles(t)
	if len(files) < 2 {
		t.Fatalf("BinlogFiles = %q, want at least 2 after FlushLogs", files)
	}
	for i, f := range files {
		if dir := filepath.Dir(f); dir != s.BinlogDir() {
			t.Errorf("%s is not in BinlogDir %s", f, s.BinlogDir())
		}
		if want := "binlog.00000" + strconv.Itoa(i+1); filepath.Base(f) != want {
			t.Errorf("file %d is %s, want %s", i, filepath.Base(f), want)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("\xfebin")) {
			t.Errorf("%s does not start with the binlog magic: % x", f, data[:min(len(data), 4)])
		}
	}
	first, _ := os.ReadFile(files[0])
	if !bytes.Contains(first, []byte("INSERT INTO d.t VALUES (1, 'one')")) {
		t.Errorf("%s lacks the ANNOTATE_ROWS text of the INSERT", files[0])
	}

	port, pid := s.Port(), s.PID()
	s.Restart(t)
	if s.Port() != port || s.PID() == pid || s.PID() == 0 {
		t.Errorf("Restart: port %d→%d, pid %d→%d", port, s.Port(), pid, s.PID())
	}
	if got := s.Query(t, "SELECT count(*) FROM d.t"); got != "2" {
		t.Errorf("after Restart: %q rows, want 2", got)
	}
	if n := len(s.BinlogFiles(t)); n != len(files)+1 {
		t.Errorf("after Restart: %d binlog files, want %d", n, len(files)+1)
	}
	if !strings.HasPrefix(s.DSN(), "root@tcp(127.0.0.1:") {
		t.Errorf("DSN = %q", s.DSN())
	}

	pid = s.PID()
	s.Stop(t)
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
		t.Errorf("process %d still exists after Stop", pid)
	}
	if s.PID() != 0 {
		t.Errorf("PID after Stop = %d, want 0", s.PID())
	}
	s.Stop(t) // a second Stop is a no-op
	t.Logf("whole test took %v", time.Since(t0).Round(time.Millisecond))
}

// fatalTB records Fatalf instead of failing the real test.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestStartFailureShowsLog checks that a server that cannot start fails the
// test with the tail of its error log.
func TestStartFailureShowsLog(t *testing.T) {
	if _, missing := findBinaries("mariadbd", "mariadb-install-db", "mariadb"); len(missing) > 0 {
		t.Skip("MariaDB is not installed")
	}
	ft := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(ft, WithArgs("--no-such-option-for-mariadbtest"))
	}()
	<-done
	if !strings.Contains(ft.msg, "did not start") || !strings.Contains(ft.msg, "no-such-option-for-mariadbtest") {
		t.Errorf("Fatalf message lacks the cause:\n%s", ft.msg)
	}
}

// TestPortClash checks that Start survives a port taken between choosing
// and binding it: the server fails with "Address already in use" and Start
// tries another port.
func TestPortClash(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	calls := 0
	pickPort = func() (int, error) {
		calls++
		if calls == 1 {
			return taken, nil
		}
		return freePort()
	}
	defer func() { pickPort = freePort }()
	s := Start(t)
	if s.Port() == taken || calls < 2 {
		t.Errorf("port %d (taken: %d) after %d choices", s.Port(), taken, calls)
	}
	if got := s.Query(t, "SELECT @@port"); got != strconv.Itoa(s.Port()) {
		t.Errorf("@@port = %s, Port() = %d", got, s.Port())
	}
}

func TestTail(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb\nc", 5, "a\nb\nc"},
		{"", 3, ""},
		{"x", 1, "x"},
	} {
		if got := string(tail([]byte(c.in), c.n)); got != c.want {
			t.Errorf("tail(%q, %d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}
