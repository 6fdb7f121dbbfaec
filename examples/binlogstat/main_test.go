package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// TestMain runs the tests in UTC unless a test sets TZ itself: the tool's
// default zone is the local one.
func TestMain(m *testing.M) {
	os.Setenv("TZ", "UTC")
	os.Exit(m.Run())
}

func runTool(args []string, stdin []byte) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, bytes.NewReader(stdin), &o, &e)
	return code, o.String(), e.String()
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "--help"} {
		code, out, errOut := runTool([]string{arg}, nil)
		if code != exitOK || errOut != "" {
			t.Fatalf("%s: exit %d, stderr %q", arg, code, errOut)
		}
		for _, want := range []string{"Usage: binlogstat", "Examples:", "--bucket", "--big-rows", "--long-seconds", "--top", "--json", "--include-gtids", "--table", "bytes    of a table", "Exit status"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: usage lacks %q", arg, want)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	file := recordedFiles(t, "full")[0]
	for _, args := range [][]string{
		{},
		{"--nope", file},
		{"--bucket", "0s", file},
		{"--bucket", "1500ms", file},
		{"--bucket", "soon", file},
		{"--top", "0", file},
		{"--top", "x", file},
		{"--big-rows", "-1", file},
		{"--tz", "Mars/Olympus", file},
		{"--start-datetime", "yesterday", file},
		{"--start-datetime", "2026-01-02 00:00:00", "--stop-datetime", "2026-01-01 00:00:00", file},
		{"--database", "shop.orders", file},
		{"--table", "[", file},
		{"--include-gtids", "not-a-gtid", file},
		{"--stop-position", "10", "--start-position", "20", file},
	} {
		code, out, errOut := runTool(args, nil)
		if code != exitUsage || out != "" || !strings.HasPrefix(errOut, "binlogstat: ") || !strings.Contains(errOut, "binlogstat -h") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, errOut)
		}
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nope.000001")
	code, out, errOut := runTool([]string{missing}, nil)
	if code != exitBadInput || out != "" || !strings.Contains(errOut, missing) {
		t.Errorf("missing file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, _, errOut = runTool([]string{"-"}, []byte("this is not a binlog at all"))
	if code != exitBadInput || !strings.HasPrefix(errOut, "binlogstat: ") {
		t.Errorf("not a binlog: exit %d, stderr %q", code, errOut)
	}
	// A file cut inside an event: a positioned error, no report.
	data, err := os.ReadFile(recordedFiles(t, "full")[0])
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runTool([]string{"-"}, data[:30000])
	if code != exitBadInput || out != "" || !strings.Contains(errOut, "stdin: at byte ") {
		t.Errorf("cut file: exit %d, stdout %d bytes, stderr %q", code, len(out), errOut)
	}
}

// TestStdinAndText reads a recorded file from stdin and as a file: the
// same numbers; the text report shows them in aligned tables.
func TestStdinAndText(t *testing.T) {
	file := recordedFiles(t, "full")[0]
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	code, viaStdin, errOut := runTool([]string{"--json", "-"}, data)
	if code != exitOK {
		t.Fatalf("stdin: exit %d: %s", code, errOut)
	}
	code, viaFile, _ := runTool([]string{"--json", file}, nil)
	if code != exitOK {
		t.Fatal(code)
	}
	if strings.ReplaceAll(viaFile, file, "stdin") != viaStdin {
		t.Errorf("stdin and file reports differ")
	}
	code, again, _ := runTool([]string{"--json", file}, nil)
	if code != exitOK || again != viaFile {
		t.Errorf("two runs print different JSON")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(viaFile), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"tables", "transactions", "big_transactions", "long_transactions", "ddl", "histogram", "event_types", "files", "operations", "top_by_rows", "top_by_bytes", "longest"} {
		if _, ok := top[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	var tables []map[string]any
	if err := json.Unmarshal(top["tables"], &tables); err != nil || len(tables) == 0 {
		t.Fatalf("tables: %v", err)
	}
	for _, k := range []string{"schema", "table", "inserts", "updates", "deletes", "bytes"} {
		if _, ok := tables[0][k]; !ok {
			t.Errorf("tables[0] lacks %q", k)
		}
	}

	out := filepath.Join(t.TempDir(), "report.txt")
	code, stdout, errOut := runTool([]string{"-o", out, file}, nil)
	if code != exitOK || stdout != "" {
		t.Fatalf("-o: exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	text, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"== Files (1)", "== Summary", "== Operations", "== Tables", "== Histogram", "== Biggest transactions by rows", "== DDL", "== Event types", "TRUNCATE TABLE tx_copy"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("text report lacks %q", want)
		}
	}
	// The tables section: a header, one line per table, a total, all of
	// the same width; many's line holds its counts.
	sec := string(text[bytes.Index(text, []byte("== Tables")):])
	sec = sec[:strings.Index(sec, "\n\n")]
	lines := strings.Split(sec, "\n")[1:]
	width := len([]rune(lines[0]))
	found := false
	for _, l := range lines {
		if len([]rune(l)) != width {
			t.Errorf("misaligned line %q (width %d, header %d)", l, len([]rune(l)), width)
		}
		if f := strings.Fields(l); len(f) == 6 && f[0] == "binlogkit.many" {
			found = f[1] == "50" && f[2] == "2" && f[3] == "3" && f[4] == "55"
		}
	}
	if !found || !strings.HasPrefix(lines[len(lines)-1], "  total") {
		t.Errorf("tables section:\n%s", sec)
	}
}

// timedStream builds a binlog of three MySQL transactions on shop.orders:
// at 10:00:00 (lasting 90 s, 2 rows), 10:00:30 (1 row) and 10:05:10 (1
// row).
func timedStream(t *testing.T) string {
	t.Helper()
	s := binlogtest.NewStream(event.MySQL)
	t0 := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	cols := []binlogtest.Column{{Name: "id", Type: 3}}
	row := func(i int64) []rowcodec.Value { return []rowcodec.Value{rowcodec.IntValue(i)} }
	s.SetTime(t0).Begin().TableMap(1, "shop", "orders", cols...).Insert(1, row(1), row(2)).SetTime(t0.Add(90 * time.Second)).XID()
	s.SetTime(t0.Add(30*time.Second)).Begin().TableMap(1, "shop", "orders", cols...).Delete(1, row(1)).XID()
	s.SetTime(t0.Add(5*time.Minute+10*time.Second)).Begin().TableMap(1, "shop", "orders", cols...).Update(1, rowcodec.Row{Before: row(2), After: row(3)}).XID()
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "binlog.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestBuckets(t *testing.T) {
	file := timedStream(t)
	rep := runJSON(t, "--bucket", "1m", file)
	h := rep.Histogram
	if h.BucketSeconds != 60 || h.Coarsened || len(h.Buckets) != 6 {
		t.Fatalf("--bucket 1m: %+v", h)
	}
	wantTx := []uint64{2, 0, 0, 0, 0, 1}
	for i, b := range h.Buckets {
		if b.Transactions != wantTx[i] {
			t.Errorf("bucket %d (%s): %d transactions, want %d", i, b.Start, b.Transactions, wantTx[i])
		}
	}
	if h.Buckets[0].Start != "2026-01-02T10:00:00Z" || h.Buckets[0].Rows != 3 || h.Buckets[5].Rows != 1 {
		t.Errorf("buckets: %+v", h.Buckets)
	}
	rep = runJSON(t, "--bucket", "5m", "--tz", "+02:00", file)
	h = rep.Histogram
	if h.BucketSeconds != 300 || len(h.Buckets) != 2 || h.Buckets[0].Transactions != 2 || h.Buckets[1].Transactions != 1 || h.Buckets[1].Start != "2026-01-02T12:05:00+02:00" {
		t.Errorf("--bucket 5m: %+v", h)
	}
	code, out, _ := runTool([]string{"--bucket", "5m", file}, nil)
	if code != exitOK || !strings.Contains(out, "(bucket 5m, bar: bytes)") || !strings.Contains(out, "2026-01-02 10:05:00") {
		t.Errorf("text histogram:\n%s", out)
	}
	// A 1 s bucket over 310 s fits in 400 buckets.
	rep = runJSON(t, "--bucket", "1s", file)
	if h := rep.Histogram; h.BucketSeconds != 1 || len(h.Buckets) != 311 {
		t.Errorf("--bucket 1s: %d buckets of %d s", len(h.Buckets), h.BucketSeconds)
	}
}

func TestThresholds(t *testing.T) {
	file := timedStream(t)
	rep := runJSON(t, "--long-seconds", "60", "--big-rows", "2", file)
	lt := rep.LongTransactions
	if lt.Count != 1 || len(lt.Listed) != 1 || lt.Listed[0].DurationSeconds != 90 || lt.Listed[0].GTID != "3e11fa47-71ca-11e1-9e33-c80aa9429562:1" {
		t.Errorf("--long-seconds 60: %+v", lt)
	}
	if l := lt.Listed[0]; l.StartTime != "2026-01-02T10:00:00Z" || l.EndTime != "2026-01-02T10:01:30Z" || l.Rows != 2 || len(l.Tables) != 1 || l.Tables[0] != "shop.orders" {
		t.Errorf("long transaction: %+v", l)
	}
	if bt := rep.BigTransactions; bt.Count != 1 || bt.Listed[0].Rows != 2 {
		t.Errorf("--big-rows 2: %+v", bt)
	}
	rep = runJSON(t, "--long-seconds", "91", "--big-rows", "3", file)
	if rep.LongTransactions.Count != 0 || rep.BigTransactions.Count != 0 || len(rep.Longest) != 1 {
		t.Errorf("--long-seconds 91 --big-rows 3: %+v %+v %+v", rep.LongTransactions, rep.BigTransactions, rep.Longest)
	}
	rep = runJSON(t, "--long-seconds", "0", "--big-rows", "0", file)
	if rep.LongTransactions.Count != 0 || rep.BigTransactions.Count != 0 {
		t.Errorf("thresholds 0 are off: %+v %+v", rep.LongTransactions, rep.BigTransactions)
	}
	if s := rep.Transactions; s.Count != 3 || s.Rows != 4 || s.WithXID != 3 {
		t.Errorf("summary %+v", s)
	}
	if tb := rep.Tables; len(tb) != 1 || tb[0].Inserts != 2 || tb[0].Updates != 1 || tb[0].Deletes != 1 {
		t.Errorf("tables %+v", tb)
	}
	rep = runJSON(t, "--top", "2", file)
	if len(rep.TopByRows) != 2 || len(rep.TopByBytes) != 2 || rep.TopByRows[0].Rows != 2 {
		t.Errorf("--top 2: %+v", rep.TopByRows)
	}
	// --start-datetime drops the first two transactions.
	rep = runJSON(t, "--start-datetime", "2026-01-02 10:05:00", file)
	if s := rep.Transactions; s.Count != 1 || s.Rows != 1 {
		t.Errorf("--start-datetime: %+v", s)
	}
}

// TestDDLBound lists the first maxDDL statements and counts the rest.
func TestDDLBound(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	long := "CREATE TABLE t0 (" + strings.Repeat("c INT, ", 100) + "id INT)"
	s.DDL("db", long)
	for i := 1; i < maxDDL+50; i++ {
		s.DDL("db", "/* a comment */ DROP TABLE IF EXISTS t"+strings.Repeat("x", i%7))
	}
	s.DDL("db", "GRANT SELECT ON db.* TO u") // not DDL
	b, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ddl.000001")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rep := runJSON(t, path)
	d := rep.DDL
	if d.Count != maxDDL+50 || len(d.Listed) != maxDDL || d.More != 50 || rep.Transactions.Statements != maxDDL+51 {
		t.Fatalf("DDL count %d, listed %d, more %d, statements %d", d.Count, len(d.Listed), d.More, rep.Transactions.Statements)
	}
	if first := d.Listed[0]; !first.Truncated || len(first.Statement) > maxDDLText || !strings.HasPrefix(first.Statement, "CREATE TABLE t0 (c INT,") || first.Schema != "db" {
		t.Errorf("first DDL %+v", first)
	}
	code, out, _ := runTool([]string{path}, nil)
	if code != exitOK || !strings.Contains(out, "… and 50 more") || !strings.Contains(out, "== DDL (150)") {
		t.Errorf("text DDL section lacks the count of the rest")
	}
}

// TestHistogramCoarsen spreads transactions over 1000 minutes in 1m
// buckets: the buckets widen to 10m (2m would still need 500), aligned on
// multiples of 10 minutes, and no transaction is lost.
func TestHistogramCoarsen(t *testing.T) {
	h := histogram{requested: 60, width: 60, buckets: map[int64]*bucket{}}
	t0 := uint32(time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC).Unix())
	for i := range uint32(1000) {
		h.add(t0+i*60, 2, 10)
	}
	if h.width != 600 || h.hi-h.lo+1 > maxBuckets {
		t.Fatalf("width %d, %d buckets", h.width, h.hi-h.lo+1)
	}
	var tx, rows uint64
	for k, b := range h.buckets {
		if k < h.lo || k > h.hi {
			t.Errorf("bucket %d outside %d…%d", k, h.lo, h.hi)
		}
		tx += b.transactions
		rows += b.rows
	}
	if tx != 1000 || rows != 2000 {
		t.Errorf("%d transactions, %d rows after coarsening", tx, rows)
	}
	// The first bucket starts at 03:00 and holds 03:04…03:09.
	if first := h.buckets[h.lo]; time.Unix(h.lo*h.width, 0).UTC().Format("15:04") != "03:00" || first.transactions != 6 {
		t.Errorf("first bucket at %s holds %d", time.Unix(h.lo*h.width, 0).UTC(), first.transactions)
	}
	if seconds(h.width) != "10m" || seconds(864000) != "10d" || seconds(90) != "1m30s" || seconds(7200) != "2h" {
		t.Errorf("seconds: %s %s %s %s", seconds(h.width), seconds(864000), seconds(90), seconds(7200))
	}
}

// TestCompressedAndDir reads the recorded files gzip-compressed, and as a
// backup directory with a zstd-compressed member: the same counts as the
// plain files.
func TestCompressedAndDir(t *testing.T) {
	files := recordedFiles(t, "full")
	want := runJSON(t, files...)
	dir := t.TempDir()
	var gzFiles []string
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name, data := filepath.Join(dir, filepath.Base(f)), raw
		if i == 1 {
			zw, err := zstd.NewWriter(nil)
			if err != nil {
				t.Fatal(err)
			}
			name, data = name+".zst", zw.EncodeAll(raw, nil)
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(raw)
		zw.Close()
		gz := filepath.Join(t.TempDir(), filepath.Base(f)+".gz")
		if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		gzFiles = append(gzFiles, gz)
	}
	for _, args := range [][]string{{dir}, gzFiles} {
		got := runJSON(t, args...)
		if !reflect.DeepEqual(got.Tables, want.Tables) || got.Transactions != want.Transactions || got.DDL.Count != want.DDL.Count {
			t.Errorf("%q: tables or transactions differ from the plain files'", args)
		}
		if len(got.Files) != len(files) {
			t.Fatalf("%q: %d files", args, len(got.Files))
		}
		for i, f := range got.Files {
			if f.Bytes != want.Files[i].Bytes || !strings.HasSuffix(f.Name, filepath.Base(files[i])) && !strings.HasSuffix(f.Name, filepath.Base(files[i])+".gz") {
				t.Errorf("%q: file %d is %+v, want the size of %s (%d)", args, i, f, files[i], want.Files[i].Bytes)
			}
		}
	}
}

// TestEmptyInput: a binlog with no event still gives every list, empty
// rather than null, so that consumers need no special case.
func TestEmptyInput(t *testing.T) {
	code, out, errOut := runTool([]string{"--json", "-"}, []byte("\xfebin"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"files", "tables", "top_by_rows", "top_by_bytes", "longest", "event_types"} {
		if string(top[k]) != "[]" {
			t.Errorf("%s is %s, want []", k, top[k])
		}
	}
	var nested struct {
		Big  struct{ Listed json.RawMessage }  `json:"big_transactions"`
		DDL  struct{ Listed json.RawMessage }  `json:"ddl"`
		Hist struct{ Buckets json.RawMessage } `json:"histogram"`
	}
	if err := json.Unmarshal([]byte(out), &nested); err != nil {
		t.Fatal(err)
	}
	if string(nested.Big.Listed) != "[]" || string(nested.DDL.Listed) != "[]" || string(nested.Hist.Buckets) != "[]" {
		t.Errorf("nested lists: %s %s %s", nested.Big.Listed, nested.DDL.Listed, nested.Hist.Buckets)
	}
	if code, out, _ := runTool([]string{"-"}, []byte("\xfebin")); code != exitOK || !strings.Contains(out, "transactions: 0") {
		t.Errorf("text of an empty binlog: exit %d\n%s", code, out)
	}
}
