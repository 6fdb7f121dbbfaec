//go:build integration

package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// syncBuffer is a bytes.Buffer safe for the tool's goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startTool runs binlogbackup in a goroutine; stop cancels it and returns
// its exit code.
func startTool(t *testing.T, args ...string) (stop func() int, stderr *syncBuffer) {
	ctx, cancel := context.WithCancel(context.Background())
	stderr = new(syncBuffer)
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, new(syncBuffer), stderr) }()
	return func() int {
		cancel()
		select {
		case code := <-done:
			return code
		case <-time.After(60 * time.Second):
			t.Fatalf("binlogbackup did not stop; stderr:\n%s", stderr)
			return -1
		}
	}, stderr
}

// client runs the mariadb client on script, ignoring errors (the server may
// be killed under it).
func client(s *mariadbtest.Server, script string) error {
	cmd := exec.Command("mariadb", "--no-defaults", "--user=root", "--socket="+s.Socket(), "--batch")
	cmd.Stdin = strings.NewReader(script)
	return cmd.Run()
}

// workload returns n transactions of a few rows each.
func workload(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "BEGIN; INSERT INTO bk.t (id, v) VALUES (%d, REPEAT('x', %d)); UPDATE bk.t SET n = n + 1 WHERE id = %d; COMMIT;\n", i, 10+i%200, i)
	}
	return b.String()
}

// binlogServer is a private server of mariadbtest or mysqltest.
type binlogServer interface {
	BinlogFiles(t testing.TB) []string
}

// waitCaughtUp waits until the backup holds every byte of the server's
// binlogs.
func waitCaughtUp(t *testing.T, s binlogServer, dir string, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	stable := 0
	for {
		files := s.BinlogFiles(t)
		last := files[len(files)-1]
		st, err := os.Stat(last)
		if err == nil {
			if got, err := os.Stat(filepath.Join(dir, filepath.Base(last)+backup.PartialSuffix)); err == nil && got.Size() == st.Size() {
				// Caught up, unless the server appends a BINLOG_CHECKPOINT
				// a moment later: look again.
				if stable++; stable >= 3 {
					return
				}
			} else {
				stable = 0
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backup did not catch up with %s; binlogbackup's stderr:\n%s", last, stderr)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// compareDir asserts that dir holds the server's files byte for byte,
// reporting exactly what differs.
func compareDir(t *testing.T, s binlogServer, dir string) { compareDirPrefix(t, s, dir, false) }

// compareDirPrefix is compareDir; with prefixOK, the server's current file
// may have grown past the backup's copy (written after the backup stopped).
func compareDirPrefix(t *testing.T, s binlogServer, dir string, prefixOK bool) {
	t.Helper()
	entries, err := backup.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	stored := make(map[string]backup.Entry)
	for _, e := range entries {
		stored[e.Name] = e
	}
	files := s.BinlogFiles(t)
	for i, f := range files {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		e, ok := stored[name]
		if !ok {
			t.Errorf("%s: not in the backup", name)
			continue
		}
		got := readStored(t, filepath.Join(dir, e.Stored))
		last := i == len(files)-1
		if last == e.Complete {
			t.Errorf("%s stored as %s: complete=%v, want %v", name, e.Stored, e.Complete, !last)
		}
		if bytes.Equal(got, want) {
			if idx, err := backup.ReadIndex(dir); err == nil {
				for _, ie := range idx {
					if ie.Name == name && (ie.Size != uint64(len(want)) || ie.Stored != e.Stored) {
						t.Errorf("index entry %+v: size or stored name wrong (file of %d bytes stored as %s)", ie, len(want), e.Stored)
					}
				}
			}
			continue
		}
		if last && prefixOK && len(got) < len(want) && bytes.Equal(got, want[:len(got)]) {
			t.Logf("%s: the server wrote %d bytes after the backup's %d", name, len(want)-len(got), len(got))
			continue
		}
		at := firstDiff(got, want)
		what := ""
		if at == event.MagicLen+17 {
			what = fmt.Sprintf(" (the FORMAT_DESCRIPTION's flags: backup 0x%02x, server 0x%02x)", got[at], want[at])
		}
		t.Errorf("%s (stored as %s): %d bytes, server %d; first difference at byte %d%s", name, e.Stored, len(got), len(want), at, what)
	}
	if len(entries) != len(files) {
		t.Errorf("backup holds %d files, server %d", len(entries), len(files))
	}
}

// TestIntegrationBackupKill mirrors a server through FLUSH LOGS, a kill -9
// in the middle of a workload and a restart, then a restart of the backup
// itself, and compares the directory with the server's files.
func TestIntegrationBackupKill(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0) ENGINE=InnoDB")
	s.Exec(t, workload(0, 50))
	s.FlushLogs(t)
	s.Exec(t, workload(50, 50))

	dir := t.TempDir()
	args := []string{"--dsn", s.DSN(), "--dir", dir, "--compress", "zstd", "--fsync", "--progress", "0", "--server-id", "7001"}
	stop, stderr := startTool(t, args...)
	waitCaughtUp(t, s, dir, stderr)
	s.FlushLogs(t)
	s.Exec(t, workload(100, 100))
	s.FlushLogs(t)

	// A large workload killed in the middle.
	done := make(chan error, 1)
	big := "INSERT INTO bk.t (id, v) SELECT seq + 1000000, REPEAT('z', 2000) FROM bk.seq_1_to_5000;\n"
	go func() { done <- client(s, workload(200, 300)+big+workload(500, 500)+big+workload(1000, 2000)) }()
	time.Sleep(time.Duration(300+rand.IntN(2200)) * time.Millisecond)
	s.Kill(t)
	<-done
	crashed := s.BinlogFiles(t)
	crashedFile := crashed[len(crashed)-1]
	s.Restart(t)
	s.Exec(t, workload(5000, 100))
	waitCaughtUp(t, s, dir, stderr)
	// A clean restart: the file ends with STOP and the server clears its
	// in-use flag.
	s.Restart(t)
	s.Exec(t, workload(5100, 100))
	waitCaughtUp(t, s, dir, stderr)
	if code := stop(); code != exitOK {
		t.Fatalf("binlogbackup exited %d:\n%s", code, stderr)
	}
	t.Logf("first run:\n%s", stderr)
	compareDir(t, s, dir)
	if b, err := os.ReadFile(crashedFile); err == nil && len(b) > 21 {
		t.Logf("the file the kill interrupted, %s (%d bytes), keeps FDE flags 0x%02x after the restart", filepath.Base(crashedFile), len(b), b[21])
	}

	// The backup stopped; the server goes on; the backup resumes from DIR.
	s.Exec(t, workload(6000, 200))
	s.FlushLogs(t)
	s.Exec(t, workload(6200, 50))
	var out, errb syncBuffer
	code := run(context.Background(), append(args, "--non-blocking"), &out, &errb)
	if code != exitOK {
		t.Fatalf("resumed binlogbackup exited %d:\n%s", code, errb.String())
	}
	compareDir(t, s, dir)

	// The directory reads as the server's files.
	l, err := backup.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	want := binlog.OpenFiles(s.BinlogFiles(t)...)
	defer want.Close()
	ctx := context.Background()
	n := 0
	for {
		a, errA := l.ReadEvent(ctx)
		b, errB := want.ReadEvent(ctx)
		if errA != nil || errB != nil {
			if errA != errB {
				t.Fatalf("after %d events: backup %v, server files %v", n, errA, errB)
			}
			break
		}
		fa, pa := l.Position()
		fb, pb := want.Position()
		if !bytes.Equal(a, b) || fa != filepath.Base(fb) || pa != pb {
			t.Fatalf("event %d: backup %s:%d, server %s:%d", n, fa, pa, fb, pb)
		}
		n++
	}
	t.Logf("%d events, %d files identical", n, len(s.BinlogFiles(t)))
}

// TestIntegrationBackupStartFile starts at a given file and stops at the end
// (--non-blocking).
func TestIntegrationBackupStartFile(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0)")
	s.FlushLogs(t)
	s.Exec(t, workload(0, 20))
	s.FlushLogs(t)
	s.Exec(t, workload(20, 20))
	files := s.BinlogFiles(t)
	dir := t.TempDir()
	var out, errb syncBuffer
	code := run(context.Background(), []string{"--dsn", s.DSN(), "--dir", dir, "--start-file", filepath.Base(files[1]), "--non-blocking", "--compress", "lz4"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	entries, err := backup.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Name != filepath.Base(files[1]) || entries[0].Stored != entries[0].Name+".lz4" {
		t.Fatalf("entries %+v", entries)
	}
	for i, e := range entries {
		want, _ := os.ReadFile(files[i+1])
		if got := readStored(t, filepath.Join(dir, e.Stored)); !bytes.Equal(got, want) {
			t.Errorf("%s differs at %d", e.Stored, firstDiff(got, want))
		}
	}
}

// TestIntegrationBackupGTID starts at the file holding the first
// transaction after a GTID set.
func TestIntegrationBackupGTID(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0)")
	s.FlushLogs(t)
	s.Exec(t, workload(0, 5))
	gtid := s.Query(t, "SELECT @@gtid_binlog_pos")
	s.FlushLogs(t)
	s.Exec(t, workload(5, 5))
	files := s.BinlogFiles(t)
	dir := t.TempDir()
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"--dsn", s.DSN(), "--dir", dir, "--gtid", gtid, "--non-blocking"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	entries, err := backup.Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The transaction after gtid is the first of the third file.
	if len(entries) != 1 || entries[0].Name != filepath.Base(files[2]) {
		t.Fatalf("after %s: entries %+v, want %s only", gtid, entries, filepath.Base(files[2]))
	}
	want, _ := os.ReadFile(files[2])
	if got := readStored(t, filepath.Join(dir, entries[0].Stored)); !bytes.Equal(got[:21], want[:21]) || !bytes.Equal(got[22:], want[22:]) {
		t.Errorf("%s differs", entries[0].Stored)
	}
}

// TestIntegrationBackupThroughput measures binlogbackup against
// mariadb-binlog --read-from-remote-server --raw on the same server.
func TestIntegrationBackupThroughput(t *testing.T) {
	if os.Getenv("BINLOGKIT_BENCH") == "" {
		t.Skip("set BINLOGKIT_BENCH=1 to measure")
	}
	s := mariadbtest.Start(t, mariadbtest.WithArgs("--max-binlog-size=64M", "--innodb-flush-log-at-trx-commit=0", "--sync-binlog=0"))
	s.Exec(t, `CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0);
DELIMITER //
CREATE PROCEDURE bk.p(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO INSERT INTO bk.t (id, v) VALUES (i, REPEAT('x', 300)); SET i = i + 1; END WHILE; END//
DELIMITER ;
CALL bk.p(30000);
INSERT INTO bk.t (id, v) SELECT seq + 100000, REPEAT('y', 1000) FROM bk.seq_1_to_60000;`)
	var size int64
	var events int
	files := s.BinlogFiles(t)
	for _, f := range files {
		st, _ := os.Stat(f)
		size += st.Size()
		src, _ := binlog.OpenFile(f)
		for {
			if _, err := src.ReadEvent(context.Background()); err != nil {
				break
			}
			events++
		}
		src.Close()
	}
	dir := t.TempDir()
	start := time.Now()
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"--dsn", s.DSN(), "--dir", dir, "--non-blocking", "--progress", "0"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	ours := time.Since(start)
	rawDir := t.TempDir()
	start = time.Now()
	cmd := exec.Command("mariadb-binlog", "--no-defaults", "--read-from-remote-server", "--raw", "--host=127.0.0.1", fmt.Sprintf("--port=%d", s.Port()), "--user=root",
		"--to-last-log", "--result-file="+rawDir+"/", filepath.Base(files[0]))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mariadb-binlog: %v %s", err, b)
	}
	theirs := time.Since(start)
	mb := float64(size) / 1e6
	t.Logf("%d files, %.1f MB, %d events", len(files), mb, events)
	t.Logf("binlogbackup:                %v: %.0f events/s, %.1f MB/s", ours.Round(time.Millisecond), float64(events)/ours.Seconds(), mb/ours.Seconds())
	t.Logf("mariadb-binlog --raw remote: %v: %.0f events/s, %.1f MB/s", theirs.Round(time.Millisecond), float64(events)/theirs.Seconds(), mb/theirs.Seconds())
	// MariaDB may append a BINLOG_CHECKPOINT to its current file a moment
	// after the workload.
	compareDirPrefix(t, s, dir, true)
}

// TestIntegrationBackupSignal runs the built command: SIGTERM stops it with
// status 0 and a .partial file, and a new run resumes from the directory.
func TestIntegrationBackupSignal(t *testing.T) {
	s := mariadbtest.Start(t)
	bin := filepath.Join(t.TempDir(), "binlogbackup")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0)")
	s.Exec(t, workload(0, 100))
	dir := t.TempDir()
	var stderr syncBuffer
	cmd := exec.Command(bin, "--dsn", s.DSN(), "--dir", dir, "--progress", "100ms", "--compress", "lz4")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitCaughtUp(t, s, dir, &stderr)
	// A second process on the same directory exits 1 naming the first.
	second, err := exec.Command(bin, "--dsn", s.DSN(), "--dir", dir, "--non-blocking").CombinedOutput()
	if want := fmt.Sprintf("in use by process %d", cmd.Process.Pid); err == nil || err.(*exec.ExitError).ExitCode() != exitError || !strings.Contains(string(second), want) {
		t.Errorf("a second binlogbackup on the directory: %v, %q; want exit 1 saying %q", err, second, want)
	} else {
		t.Logf("second process: %s", strings.TrimSpace(string(second)))
	}
	s.FlushLogs(t)
	s.Exec(t, workload(100, 100))
	waitCaughtUp(t, s, dir, &stderr)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("after SIGTERM: %v\n%s", err, stderr.String())
	}
	files := s.BinlogFiles(t)
	last := filepath.Base(files[len(files)-1])
	st, err := os.Stat(filepath.Join(dir, last+backup.PartialSuffix))
	if err != nil {
		t.Fatalf("the current file is not left .partial: %v", err)
	}
	// The summary says exactly what was written: two files, the second
	// partial up to its size.
	if want := fmt.Sprintf("(1 completed, %s partial up to byte %d); the archive ends at %s:%d", last, st.Size(), last, st.Size()); !strings.Contains(stderr.String(), "binlogbackup: done in ") ||
		!strings.Contains(stderr.String(), want) {
		t.Errorf("the final line does not say %q:\n%s", want, stderr.String())
	}
	if n := strings.Count(stderr.String(), "binlogbackup: progress: "); n < 2 {
		t.Errorf("%d progress lines in a run of at least 200 ms with --progress 100ms:\n%s", n, stderr.String())
	}
	s.Exec(t, workload(200, 100))
	out, err := exec.Command(bin, "--dsn", s.DSN(), "--dir", dir, "--non-blocking", "--compress", "lz4").CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	compareDir(t, s, dir)
	if code := exec.Command(bin, "--dir", dir).Run(); code == nil || code.(*exec.ExitError).ExitCode() != exitUsage {
		t.Errorf("without --dsn: %v, want exit %d", code, exitUsage)
	}
}
