//go:build integration

package mysqltest

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

// TestServer starts a private server, checks its settings, writes rows,
// rotates the binary log, kills it inside a transaction and restarts it
// (the committed rows and GTIDs survive, the open transaction does not),
// runs the client tools on it, and checks that Stop leaves no process.
func TestServer(t *testing.T) {
	t0 := time.Now()
	s := Start(t, WithServerID(42))
	in := s.Install()
	t.Logf("MySQL %s (Debian package %s) from %s", in.ServerVersion(), in.Version, in.Root)
	if v := s.Query(t, "SELECT VERSION()"); !strings.HasPrefix(v, in.ServerVersion()) {
		t.Errorf("VERSION() = %q, the package says %s", v, in.ServerVersion())
	}

	want := "42\tROW\tFULL\tFULL\tCRC32\tON\tON\tutf8mb4\t+00:00\t" + strconv.Itoa(s.Port())
	if got := s.Query(t, "SELECT @@server_id, @@binlog_format, @@binlog_row_image, @@binlog_row_metadata, @@binlog_checksum, @@gtid_mode, @@enforce_gtid_consistency, @@character_set_server, @@time_zone, @@port"); got != want {
		t.Errorf("server settings = %q, want %q", got, want)
	}
	if got := s.Query(t, "SELECT user, host, plugin, authentication_string = '' FROM mysql.user WHERE user = 'root' ORDER BY host"); got != "root\t127.0.0.1\tcaching_sha2_password\t1\nroot\t::1\tcaching_sha2_password\t1\nroot\tlocalhost\tcaching_sha2_password\t1" {
		t.Errorf("root accounts:\n%s", got)
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
	uuid := s.Query(t, "SELECT @@server_uuid")
	if got, want := s.GTIDExecuted(t), uuid+":1-5"; got != want {
		t.Errorf("gtid_executed %q, want %q", got, want)
	}
	s.FlushLogs(t)

	files := s.BinlogFiles(t)
	if len(files) != 2 {
		t.Fatalf("BinlogFiles = %q, want 2 after FlushLogs", files)
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

	// The client tools run through the installation's loader.
	out, err := s.Client("mysqlbinlog", "--read-from-remote-server", "-vv", filepath.Base(files[0])).CombinedOutput()
	if err != nil {
		t.Fatalf("mysqlbinlog: %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("### INSERT INTO `d`.`t`")) || !bytes.Contains(out, []byte("SET @@SESSION.GTID_NEXT= '"+uuid+":3'")) {
		t.Errorf("mysqlbinlog -vv lacks the INSERT or its GTID:\n%s", tail(out, 40))
	}
	out, err = s.Client("mysqldump", "--skip-comments", "d", "t").CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("INSERT INTO `t` VALUES (1,'one'),(2,'two');")) {
		t.Errorf("mysqldump: %v\n%s", err, out)
	}
	// Over TCP, root has an empty password too.
	out, err = in.Command("mysql", "--no-defaults", "--host=127.0.0.1", "--port="+strconv.Itoa(s.Port()), "--user=root", "--ssl-mode=DISABLED", "-N", "-e", "SELECT CURRENT_USER()").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "root@127.0.0.1" {
		t.Errorf("mysql over TCP: %v: %s", err, out)
	}

	// kill -9 inside an open transaction: after crash recovery the
	// committed rows and GTIDs are there, the open transaction is not.
	cmd := s.Client("mysql", "-e", "BEGIN; INSERT INTO d.t VALUES (10, 'open'); DO SLEEP(60); COMMIT")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; s.Query(t, "SELECT COUNT(*) FROM information_schema.innodb_trx") != "1"; i++ {
		if i > 200 {
			t.Fatal("the open transaction never started")
		}
		time.Sleep(50 * time.Millisecond)
	}
	port, pid := s.Port(), s.PID()
	s.Kill(t)
	if err := cmd.Wait(); err == nil {
		t.Error("the client of the open transaction did not notice the kill")
	}
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil && runtime.GOOS == "linux" {
		t.Errorf("process %d still exists after Kill", pid)
	}
	s.Restart(t)
	if s.Port() != port || s.PID() == pid || s.PID() == 0 {
		t.Errorf("Restart: port %d→%d, pid %d→%d", port, s.Port(), pid, s.PID())
	}
	if got := s.Query(t, "SELECT group_concat(id ORDER BY id) FROM d.t"); got != "1,2" {
		t.Errorf("after kill and restart: ids %q, want 1,2", got)
	}
	if got, want := s.GTIDExecuted(t), uuid+":1-5"; got != want {
		t.Errorf("after kill and restart: gtid_executed %q, want %q", got, want)
	}
	if n := len(s.BinlogFiles(t)); n != 3 {
		t.Errorf("after Restart: %d binlog files, want 3", n)
	}
	if !strings.HasPrefix(s.DSN(), "root@tcp(127.0.0.1:") {
		t.Errorf("DSN = %q", s.DSN())
	}

	pid = s.PID()
	s.Stop(t)
	if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil && runtime.GOOS == "linux" {
		t.Errorf("process %d still exists after Stop", pid)
	}
	if s.PID() != 0 {
		t.Errorf("PID after Stop = %d, want 0", s.PID())
	}
	s.Stop(t) // a second Stop is a no-op
	t.Logf("whole test took %v", time.Since(t0).Round(time.Millisecond))
}

// TestServersAreDistinct starts two servers at once: their UUIDs, ports and
// directories differ, as a source and its replica need.
func TestServersAreDistinct(t *testing.T) {
	a, b := Start(t), Start(t, WithServerID(2))
	ua, ub := a.Query(t, "SELECT @@server_uuid"), b.Query(t, "SELECT @@server_uuid")
	if ua == ub || a.Port() == b.Port() || a.DataDir() == b.DataDir() || a.Socket() == b.Socket() {
		t.Errorf("servers share something: uuid %s/%s port %d/%d", ua, ub, a.Port(), b.Port())
	}
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
	Installation(t)
	ft := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(ft, WithArgs("--no-such-option-for-mysqltest"))
	}()
	<-done
	if !strings.Contains(ft.msg, "did not start") || !strings.Contains(ft.msg, "no-such-option-for-mysqltest") {
		t.Errorf("Fatalf message lacks the cause:\n%s", ft.msg)
	}
}

// TestPortClash checks that Start survives a port taken between choosing
// and binding it: the server fails with "Address already in use" and Start
// tries another port.
func TestPortClash(t *testing.T) {
	Installation(t)
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
