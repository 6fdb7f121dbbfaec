//go:build integration

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestIntegrationDumpRemote compares binlogdump --remote with binlogdump on
// the server's own files: the same lines, the JSON "file" naming the
// server's file instead of a path.
func TestIntegrationDumpRemote(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(20), j JSON, f DOUBLE)")
	s.Exec(t, "INSERT INTO d.t VALUES (1, 'a', '{\"k\": 1}', 1.5), (2, NULL, NULL, NULL)")
	s.FlushLogs(t)
	s.Exec(t, "UPDATE d.t SET v = 'b' WHERE id = 1; DELETE FROM d.t WHERE id = 2; ALTER TABLE d.t ADD COLUMN w INT")
	s.FlushLogs(t)
	s.Exec(t, "INSERT INTO d.t (id, v) VALUES (3, 'c')")
	files := s.BinlogFiles(t)
	dsn := s.DSN()

	// What legitimately differs: the server clears the in-use flag of its
	// current file's FORMAT_DESCRIPTION in what it sends, so the warning
	// printed for that file (and its "flags" in JSON) does not show
	// remotely; and JSON names files by path when read from disk.
	const inUse = "# Warning: this binlog is either in use or was not closed properly.\n"
	normalize := func(out string) string {
		if n := strings.Count(out, inUse); n > 1 {
			t.Errorf("%d in-use warnings in the files' output, want at most 1 (the current file)", n)
		}
		out = strings.Replace(out, inUse, "", 1)
		if strings.Count(out, `"event_size":252,"flags":1,`) > 1 {
			t.Errorf("several FORMAT_DESCRIPTIONs with the in-use flag in the files' output")
		}
		out = strings.Replace(out, `"event_size":252,"flags":1,`, `"event_size":252,"flags":0,`, 1)
		for _, f := range files {
			out = strings.ReplaceAll(out, `"file":"`+f+`"`, `"file":"`+filepath.Base(f)+`"`)
		}
		return out
	}
	for _, flags := range [][]string{{"-v"}, {"--json"}} {
		code, want, stderr := dump(t, nil, append(flags, files...)...)
		checkOK(t, code, stderr)
		code, got, stderr := dump(t, nil, append(flags, "--remote", dsn)...)
		checkOK(t, code, stderr)
		compareLines(t, strings.Join(flags, " "), normalize(want), got)
	}

	// From a file and position: the files' output from there.
	code, all, stderr := dump(t, nil, append([]string{"--json"}, files[1:]...)...)
	checkOK(t, code, stderr)
	lines := strings.Split(normalize(all), "\n")
	start := lines[3] // the fourth event of the second file
	i := strings.Index(start, `"pos":`)
	pos, _ := strconv.Atoi(start[i+6 : i+6+strings.IndexByte(start[i+6:], ',')])
	code, got, stderr := dump(t, nil, "--json", "--remote", dsn, "--start-file", filepath.Base(files[1]), "--start-position", strconv.Itoa(pos))
	checkOK(t, code, stderr)
	compareLines(t, "--start-position", strings.Join(lines[3:], "\n"), got)
}

func compareLines(t *testing.T, what, want, got string) {
	t.Helper()
	if want == got {
		return
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] != gl[i] {
			t.Fatalf("%s: line %d differs:\nfiles:  %s\nremote: %s", what, i+1, wl[i], gl[i])
		}
	}
	t.Fatalf("%s: %d lines from the files, %d from the server", what, len(wl), len(gl))
}

// TestIntegrationDumpRemoteGTIDStopNever starts after a GTID set and follows
// the server until interrupted, which ends the output cleanly.
func TestIntegrationDumpRemoteGTIDStopNever(t *testing.T) {
	s := mariadbtest.Start(t)
	s.Exec(t, "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY)")
	s.Exec(t, "INSERT INTO d.t VALUES (1)")
	gtid := s.Query(t, "SELECT @@gtid_binlog_pos")
	s.Exec(t, "INSERT INTO d.t VALUES (2)")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb bytes.Buffer // read once the run has returned
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"--json", "--remote", s.DSN(), "--gtid", gtid, "--stop-never"}, nil, &out, &errb)
	}()
	s.Exec(t, "INSERT INTO d.t VALUES (3)")
	time.Sleep(2 * time.Second) // output is buffered: give the stream time, then interrupt
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d after the interrupt: %s", code, errb.String())
	}
	got := out.String()
	if strings.Contains(got, `"gtid":"`+gtid+`"`) {
		t.Errorf("the transaction of %s was dumped", gtid)
	}
	if n := strings.Count(got, "WRITE_ROWS"); n != 2 {
		t.Errorf("%d rows events, want 2 (the inserts after %s)", n, gtid)
	}
}
