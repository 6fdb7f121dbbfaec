//go:build integration

package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// mysqlClient runs the mysql client on script, ignoring errors (the server
// may be killed under it).
func mysqlClient(s *mysqltest.Server, script string) error {
	cmd := s.Client("mysql", "--batch")
	cmd.Stdin = strings.NewReader(script)
	return cmd.Run()
}

// mysqlBig inserts 5000 rows of 2000 bytes from first in one statement
// (MySQL has no sequence engine: a recursive CTE makes the rows).
func mysqlBig(first int) string {
	return fmt.Sprintf("SET SESSION cte_max_recursion_depth = 10000; INSERT INTO bk.t (id, v) WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 4999) SELECT n + %d, REPEAT('z', 2000) FROM s;\n", first)
}

// TestIntegrationMySQLBackup runs binlogbackup against a private MySQL 9.7
// with gtid_mode=ON: a start from a GTID set, then a continuous mirror
// through FLUSH LOGS, a kill -9 of mysqld in the middle of a workload,
// clean restarts and a restart of the backup itself; the directory must
// hold the server's files byte for byte and read back as them.
func TestIntegrationMySQLBackup(t *testing.T) {
	s := mysqltest.Start(t)
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0) ENGINE=InnoDB")
	t.Run("GTID", func(t *testing.T) {
		s.FlushLogs(t)
		s.Exec(t, workload(0, 5))
		gtid := s.GTIDExecuted(t)
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
		// The transactions after gtid are all in the last file.
		if len(entries) != 1 || entries[0].Name != filepath.Base(files[len(files)-1]) {
			t.Fatalf("after %s: entries %+v, want %s only", gtid, entries, filepath.Base(files[len(files)-1]))
		}
		want, _ := os.ReadFile(files[len(files)-1])
		if got := readStored(t, filepath.Join(dir, entries[0].Stored)); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the server's at byte %d (%d and %d bytes)", entries[0].Stored, firstDiff(got, want), len(got), len(want))
		} else {
			t.Logf("--gtid %s: %s, %d bytes identical", gtid, entries[0].Name, len(got))
		}
	})
	t.Run("KillAndRestart", func(t *testing.T) {
		s.Exec(t, workload(100, 50))
		s.FlushLogs(t)
		s.Exec(t, workload(150, 50))

		dir := t.TempDir()
		args := []string{"--dsn", s.DSN(), "--dir", dir, "--compress", "zstd", "--fsync", "--progress", "0", "--server-id", "7001"}
		stop, stderr := startTool(t, args...)
		waitCaughtUp(t, s, dir, stderr)
		s.FlushLogs(t)
		s.Exec(t, workload(200, 100))
		s.FlushLogs(t)

		// A large workload killed in the middle.
		done := make(chan error, 1)
		go func() {
			done <- mysqlClient(s, workload(300, 300)+mysqlBig(1000000)+workload(600, 500)+mysqlBig(2000000)+workload(1100, 2000))
		}()
		time.Sleep(time.Duration(300+rand.IntN(2200)) * time.Millisecond)
		s.Kill(t)
		<-done
		crashed := s.BinlogFiles(t)
		crashedFile := crashed[len(crashed)-1]
		s.Restart(t)
		s.Exec(t, workload(5000, 100))
		waitCaughtUp(t, s, dir, stderr)
		// A clean restart: the file ends with STOP.
		s.Restart(t)
		s.Exec(t, workload(5100, 100))
		waitCaughtUp(t, s, dir, stderr)
		if code := stop(); code != exitOK {
			t.Fatalf("binlogbackup exited %d:\n%s", code, stderr)
		}
		t.Logf("first run:\n%s", stderr)
		compareDir(t, s, dir)
		if b, err := os.ReadFile(crashedFile); err == nil && len(b) > 21 {
			t.Logf("the file the kill interrupted, %s (%d bytes), has FDE flags 0x%02x after the restart (MySQL's crash recovery clears the in-use flag)", filepath.Base(crashedFile), len(b), b[21])
		}

		// The backup stopped; the server goes on; the backup resumes from DIR.
		s.Exec(t, workload(6000, 200))
		s.FlushLogs(t)
		s.Exec(t, workload(6200, 50))
		var out, errb syncBuffer
		if code := run(context.Background(), append(args, "--non-blocking"), &out, &errb); code != exitOK {
			t.Fatalf("resumed binlogbackup exited %d:\n%s", code, errb.String())
		}
		compareDir(t, s, dir)

		// The directory reads as the server's files.
		l, err := backup.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		files := s.BinlogFiles(t)
		want := binlog.OpenFiles(files...)
		defer want.Close()
		ctx := context.Background()
		n, size := 0, 0
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
			size += len(a)
		}
		t.Logf("%d events (%d bytes) in %d files identical, across a kill -9, two server restarts and a backup restart", n, size, len(files))
	})
}
