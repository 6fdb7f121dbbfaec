//go:build integration

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// checkServer is what the test needs of a private server.
type checkServer interface {
	Exec(t testing.TB, sql string)
	FlushLogs(t testing.TB)
	PurgeTo(t testing.TB, name string)
	BinlogFiles(t testing.TB) []string
	DSN() string
}

func TestIntegrationCheckMariaDB(t *testing.T) {
	s := mariadbtest.Start(t, mariadbtest.WithArgs("--sync-binlog=1", "--gtid-strict-mode=ON", "--binlog-expire-logs-seconds=604800"))
	checkJourney(t, s, "BINLOG MONITOR")
}

func TestIntegrationCheckMySQL(t *testing.T) {
	checkJourney(t, mysqltest.Start(t), "REPLICATION CLIENT")
}

type report struct {
	Findings []finding
	Failed   int
	Warnings int
}

func checkRun(t *testing.T, args ...string) (int, report, string) {
	t.Helper()
	code, out, errs := runTool(append(args, "--json")...)
	var r report
	if code != exitUsage {
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatalf("--json: %v\n%s%s", err, out, errs)
		}
	}
	return code, r, out + errs
}

func findingOf(r report, variable string) *finding {
	for i := range r.Findings {
		if r.Findings[i].Variable == variable {
			return &r.Findings[i]
		}
	}
	return nil
}

// checkJourney: a well set-up server passes (warnings allowed); a
// replication account from '%' with SELECT is flagged; each broken setting
// fails naming the variable, its value and a fix, and the fix, run, makes it
// pass again; a binlog file readable by others fails; an archive whose next
// file the server purged fails; an unreachable server exits 2.
func checkJourney(t *testing.T, s checkServer, monitor string) {
	code, r, out := checkRun(t, "--dsn", s.DSN())
	if code != exitOK || r.Failed != 0 {
		t.Fatalf("a well set-up server: exit %d:\n%s", code, out)
	}
	_, text, _ := runTool("--dsn", s.DSN())
	t.Logf("binlogcheck:\n%s", text)
	for _, v := range []string{"log_bin", "binlog_format", "binlog_row_image", "binlog_row_metadata", "sync_binlog", "binlog_checksum", "max_binlog_size", "require_secure_transport"} {
		if f := findingOf(r, v); f == nil || f.Why == "" {
			t.Errorf("no finding for %s", v)
		}
	}

	s.Exec(t, "CREATE USER repl@'%' IDENTIFIED BY 'pw'; GRANT REPLICATION SLAVE, SELECT ON *.* TO repl@'%'; CREATE USER backup@'10.0.0.5' IDENTIFIED BY 'pw'; GRANT REPLICATION SLAVE, "+monitor+" ON *.* TO backup@'10.0.0.5'")
	_, r, out = checkRun(t, "--dsn", s.DSN())
	if f := findingOf(r, "'repl'@'%'"); f == nil || f.Status != statusWarn || !strings.Contains(f.Why, "'%'") || !strings.Contains(f.Value, "SELECT") || !strings.Contains(f.Fix, "REVOKE") {
		t.Errorf("repl@'%%' with SELECT: %+v\n%s", f, out)
	}
	if f := findingOf(r, "'backup'@'10.0.0.5'"); f == nil || f.Status != statusPass {
		t.Errorf("a least-privilege account: %+v\n%s", f, out)
	}

	for _, c := range []struct{ variable, set string }{
		{"binlog_row_image", "SET GLOBAL binlog_row_image = 'MINIMAL'"},
		{"binlog_format", "SET GLOBAL binlog_format = 'STATEMENT'"},
		{"binlog_row_metadata", "SET GLOBAL binlog_row_metadata = 'MINIMAL'"},
		{"sync_binlog", "SET GLOBAL sync_binlog = 0"},
		{"binlog_checksum", "SET GLOBAL binlog_checksum = 'NONE'"},
	} {
		s.Exec(t, c.set)
		code, r, out = checkRun(t, "--dsn", s.DSN())
		f := findingOf(r, c.variable)
		if code != exitFail || f == nil || f.Status != statusFail || f.Fix == "" {
			t.Fatalf("after %s: exit %d, finding %+v\n%s", c.set, code, f, out)
		}
		// The fix given, run as it is (up to its first ';'), repairs it.
		fix, _, _ := strings.Cut(f.Fix, ";")
		s.Exec(t, fix)
		if code, r, out := checkRun(t, "--dsn", s.DSN()); code != exitOK || findingOf(r, c.variable).Status != statusPass {
			t.Fatalf("after the fix %q: exit %d\n%s", fix, code, out)
		}
		t.Logf("%s = %s fails; %q fixes it", c.variable, f.Value, fix)
	}

	// A binlog file readable by every user of the host.
	files := s.BinlogFiles(t)
	st, _ := os.Stat(files[0])
	os.Chmod(files[0], st.Mode().Perm()|0o004)
	code, r, out = checkRun(t, "--dsn", s.DSN())
	if f := findingOf(r, filepath.Dir(files[0])); code != exitFail || f == nil || !strings.Contains(f.Value, filepath.Base(files[0])) {
		t.Errorf("a world-readable binlog: exit %d, %+v\n%s", code, f, out)
	}
	os.Chmod(files[0], st.Mode().Perm()&^0o004)

	// An archive, then a purge gap after it.
	dir := t.TempDir()
	b, err := backup.New(dir, backup.Config{DSN: s.DSN(), NonBlocking: true, ServerPoll: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	b.Close()
	code, r, out = checkRun(t, "--dsn", s.DSN(), "--dir", dir)
	if f := findingOf(r, dir); code != exitOK || f == nil || f.Status != statusPass {
		t.Fatalf("an archive up to date: exit %d, %+v\n%s", code, f, out)
	}
	s.FlushLogs(t)
	s.Exec(t, "CREATE DATABASE gap1")
	s.FlushLogs(t)
	files = s.BinlogFiles(t)
	s.PurgeTo(t, filepath.Base(files[len(files)-1]))
	code, r, out = checkRun(t, "--dsn", s.DSN(), "--dir", dir)
	f := findingOf(r, dir)
	if code != exitFail || f == nil || !strings.Contains(f.Why, "purge gap") {
		t.Fatalf("after PURGE: exit %d, %+v\n%s", code, f, out)
	}
	t.Logf("archive after PURGE: %s", f.Why)
	entries, _ := backup.Files(dir)
	if !strings.Contains(f.Value, entries[len(entries)-1].Name) {
		t.Errorf("the finding does not name the archive's end: %+v", f)
	}

	if code, _, errs := runTool("--dsn", "root@tcp(127.0.0.1:1)/"); code != exitUsage {
		t.Errorf("unreachable server: exit %d %s", code, errs)
	}
}
