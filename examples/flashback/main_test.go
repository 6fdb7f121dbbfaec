package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// TestMain runs the tests in UTC unless a test sets TZ itself: the tool's
// default zone is the local one.
func TestMain(m *testing.M) {
	os.Setenv("TZ", "UTC")
	os.Exit(m.Run())
}

// The embedded sample binlog of binlog2sql: four transactions.
const sample = "../binlog2sql/testdata/sample.bin"

func TestRollbackBinlog(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rollback.bin")
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--out", out, sample}, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "4 rollback transaction(s)") {
		t.Errorf("summary: %s", errb.String())
	}
	r := binlog.NewReader(binlog.OpenFiles(out), binlog.WithChecksumVerification(true))
	var kinds []string
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if rows, ok := ev.Body.(*event.Rows); ok {
			kinds = append(kinds, rows.Kind().String()+":"+string(ev.Table.Table))
		}
	}
	if got := strings.Join(kinds, " "); got != "WRITE:geo UPDATE:tx DELETE:ints DELETE:nopk" {
		t.Errorf("rows events: %s", got)
	}
	// The sample is MariaDB's: the summary ends with MariaDB's command.
	if want := "flashback: apply it with: mariadb-binlog " + out + " | mariadb\n"; !strings.HasSuffix(errb.String(), want) {
		t.Errorf("summary does not end with %q:\n%s", want, errb.String())
	}
	if code := run(context.Background(), []string{sample}, &errb); code != 2 {
		t.Errorf("without --out: exit %d", code)
	}
}

// TestRollbackFromRowsEvent is finding 1 of the recovery journey from the
// command line: --start-position at the Delete_rows event (the "# at" line
// of mysqlbinlog's output) gives a rollback binlog that carries the
// Table_map in force and is read back before success is reported; a range
// with nothing to undo exits 1 and writes nothing.
func TestRollbackFromRowsEvent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "rollback.bin")
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--out", out, "--start-position", "1372", sample}, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "1 delete(s) undone by INSERT") || !strings.Contains(errb.String(), "read back") {
		t.Errorf("summary: %s", errb.String())
	}
	r := binlog.NewReader(binlog.OpenFiles(out))
	maps, rows := 0, 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		switch ev.Body.(type) {
		case *event.TableMap:
			maps++
		case *event.Rows:
			rows++
			if ev.Table == nil {
				t.Fatalf("rows event at %d without a Table_map", ev.Pos)
			}
		}
	}
	if maps != 1 || rows != 1 {
		t.Errorf("%d Table_maps, %d rows events", maps, rows)
	}

	errb.Reset()
	empty := filepath.Join(t.TempDir(), "empty.bin")
	if code := run(context.Background(), []string{"--out", empty, "--start-position", "1526", sample}, &errb); code != 1 || !strings.Contains(errb.String(), "nothing to undo") {
		t.Errorf("empty range: exit %d: %s", code, errb.String())
	}
}

func TestApplyCommand(t *testing.T) {
	for _, tc := range []struct {
		flavor event.Flavor
		names  []string
		want   string
	}{
		{event.MySQL, []string{"rb.bin"}, "mysqlbinlog rb.bin | mysql"},
		{event.MySQL, []string{"/tmp/rb", "/tmp/rb.000002"}, "mysqlbinlog /tmp/rb /tmp/rb.000002 | mysql"},
		{event.MariaDB, []string{"my dir/it's.bin"}, `mariadb-binlog 'my dir/it'\''s.bin' | mariadb`},
	} {
		if got := applyCommand(tc.flavor, tc.names); got != tc.want {
			t.Errorf("applyCommand(%v, %q) = %q, want %q", tc.flavor, tc.names, got, tc.want)
		}
	}
}
