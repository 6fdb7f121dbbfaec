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
	if code := run(context.Background(), []string{sample}, &errb); code != 2 {
		t.Errorf("without --out: exit %d", code)
	}
}
