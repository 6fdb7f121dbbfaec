//go:build integration

package mask

import (
	"context"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/sensitivetest"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// maskedSQL turns binlog files into forward SQL with DDL, masked by m (nil:
// unmasked).
func maskedSQL(t *testing.T, files []string, m *Masker) string {
	t.Helper()
	var src binlog.Source = binlog.OpenFiles(files...)
	if m != nil {
		src = m.Source(src)
	}
	r := binlog.NewReader(src)
	g := sqlgen.New(nil, sqlgen.Options{DDL: true})
	out := g.Preamble(nil)
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			return string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		if out, err = g.AppendEvent(out, ev); err != nil {
			t.Fatal(err)
		}
	}
}

// valueWarning matches the warnings of a value that does not fit its
// column: truncated, out of range, too long, incorrect, a failed CHECK.
var valueWarning = regexp.MustCompile(`Warning \((?:Code )?(1264|1265|1366|1406|4025)\): .*?(?:column|CONSTRAINT) ` + "`?'?([^'` ]+)")

// replayWarnings runs sql through the mariadb client with --show-warnings
// and returns the value warnings it printed, as "code column" lines
// (sorted, unique). The preamble's sql_mode is not strict: a value that does
// not fit is a warning, and the replay goes on.
func replayWarnings(t *testing.T, srv *mariadbtest.Server, sql string) map[string]bool {
	t.Helper()
	client, err := exec.LookPath("mariadb")
	if err != nil {
		client = "/usr/bin/mariadb"
	}
	cmd := exec.Command(client, "--no-defaults", "--protocol=tcp", "-h", "127.0.0.1", "-P", strconv.Itoa(srv.Port()),
		"-u", "root", "--batch", "--binary-mode", "--show-warnings")
	cmd.Stdin = strings.NewReader(sql)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("replay: %v\n%s", err, out)
	}
	ws := map[string]bool{}
	for _, m := range valueWarning.FindAllStringSubmatch(string(out), -1) {
		ws[m[1]+" "+m[2]] = true
	}
	return ws
}

// rowCounts returns "db.table<TAB>count" for every user table.
func rowCounts(t *testing.T, srv *mariadbtest.Server) string {
	t.Helper()
	list := srv.Query(t, "SELECT CONCAT('SELECT ', QUOTE(CONCAT(table_schema, '.', table_name)), ', COUNT(*) FROM `', "+
		"REPLACE(table_schema, '`', '``'), '`.`', REPLACE(table_name, '`', '``'), '`;') "+
		"FROM information_schema.tables WHERE table_type='BASE TABLE' AND table_schema NOT IN ('mysql','information_schema','performance_schema','sys') "+
		"ORDER BY table_schema, table_name")
	return srv.Query(t, list)
}

// TestReplayMasked replays masked SQL into a real MariaDB in strict mode:
// every column type of the project's recording, hashed (so keys stay
// unique and UPDATE/DELETE find their rows), replays without an error and
// leaves as many rows in every table as the unmasked SQL does.
func TestReplayMasked(t *testing.T) {
	files, _ := filepath.Glob("../testdata/recorded/mariadb-10_11-full.00000?")
	if len(files) == 0 {
		t.Skip("no recording")
	}
	m := mustMasker(t, `key: replay
rules:
  - column: "binlogkit.seq*.*" # a SEQUENCE's state has constraints of its own
    action: keep
  - column: "binlogkit.gen.a"  # generated columns a*2, a*3 would overflow
    action: keep
  - type: string
    action: hash
  - type: bytes
    action: hash
  - type: number
    action: hash
  - type: temporal
    action: hash
  - type: json
    action: hash
  - type: enum
    action: hash
  - type: set
    action: hash
  - type: bit
    action: hash
  - type: geometry
    action: redact
  - type: vector
    action: redact
`)
	plain := mariadbtest.Start(t)
	plainWarn := replayWarnings(t, plain, maskedSQL(t, files, nil))
	want := rowCounts(t, plain)
	masked := mariadbtest.Start(t)
	maskedWarn := replayWarnings(t, masked, maskedSQL(t, files, m))
	if got := rowCounts(t, masked); got != want {
		t.Errorf("row counts after the masked replay:\n%s\nwant:\n%s", got, want)
	}
	// Values the masking wrote fit their columns: no value warning that
	// the unmasked data does not cause too.
	for w := range maskedWarn {
		if !plainWarn[w] {
			t.Errorf("masked replay: warning %s (unmasked: %v)", w, plainWarn)
		}
	}
	t.Logf("value warnings: unmasked %v, masked %v", plainWarn, maskedWarn)
}

// TestReplaySensitive replays the masked SQL of the sensitive workload and
// checks that no sensitive value reached the tables.
func TestReplaySensitive(t *testing.T) {
	values := sensitivetest.Values(t)
	srv := mariadbtest.Start(t)
	if w := replayWarnings(t, srv, maskedSQL(t, sensitivetest.Files(), recordedMasker(t))); len(w) > 0 {
		t.Errorf("value warnings: %v", w)
	}
	dump := srv.Query(t, "SELECT * FROM shop.users; SELECT * FROM shop.orders")
	if !strings.Contains(dump, "Alice Zhang") {
		t.Fatalf("replay left no users:\n%s", dump)
	}
	for _, v := range values {
		if strings.Contains(dump, v) {
			t.Errorf("%q in the replayed tables", v)
		}
	}
}
