package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
)

// recorded is the project's recorded MariaDB binlogs (four files of one
// server run, all events at 2026-11-21 14:44 UTC).
var recorded = []string{
	"../../../testdata/recorded/mariadb-10_11-full.000001",
	"../../../testdata/recorded/mariadb-10_11-full.000002",
}

// parseSel parses args with a fresh Selection (every extra flag).
func parseSel(t *testing.T, args ...string) (*Selection, []string, error) {
	t.Helper()
	var s Selection
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	s.Register(fs, SQLType|OnlyDML)
	files, err := ParseFlags(fs, args)
	if err != nil {
		return nil, nil, err
	}
	return &s, files, s.Parse(len(files))
}

// TestSelectionAliases: every alias sets the same flag as its canonical
// name.
func TestSelectionAliases(t *testing.T) {
	for _, c := range []struct {
		args  []string
		check func(s *Selection) bool
	}{
		{[]string{"--start-pos", "120"}, func(s *Selection) bool { return s.StartPos == 120 }},
		{[]string{"--stop-pos", "900"}, func(s *Selection) bool { return s.StopPos == 900 }},
		{[]string{"--end-pos=900"}, func(s *Selection) bool { return s.StopPos == 900 }},
		{[]string{"--end-file", "b.000002"}, func(s *Selection) bool { return s.StopFile == "b.000002" }},
		{[]string{"--database", "shop", "-d", "app"}, func(s *Selection) bool { return slices.Equal(s.Databases, []string{"shop", "app"}) }},
		{[]string{"--table", "orders", "-t", "users,items"}, func(s *Selection) bool { return slices.Equal(s.Tables, []string{"orders", "users", "items"}) }},
		{[]string{"--exclude-table", "shop.log"}, func(s *Selection) bool { return slices.Equal(s.ExcludeTables, []string{"shop.log"}) }},
		{[]string{"--sql-type", "insert,DELETE"}, func(s *Selection) bool { return s.SQLTypes == RowInsert|RowDelete }},
		{[]string{"--only-dml"}, func(s *Selection) bool { return s.OnlyDML }},
	} {
		s, _, err := parseSel(t, c.args...)
		if err != nil || !c.check(s) {
			t.Errorf("%v: %+v, %v", c.args, s, err)
		}
	}
}

// TestSelectionUsage: -h lists each selection flag once, its aliases after
// its name, with one wording.
func TestSelectionUsage(t *testing.T) {
	var s Selection
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	s.Register(fs, SQLType|OnlyDML)
	var b bytes.Buffer
	PrintUsage(&b, "", fs, "")
	out := b.String()
	for _, want := range []string{
		"  --databases, --database, -d dbs\n    \tkeep only these dbs",
		"  --tables, --table, -t tables\n",
		"  --exclude-tables, --exclude-table tables\n",
		"  --start-position, --start-pos offset\n",
		"  --stop-position, --stop-pos, --end-pos offset\n",
		"  --stop-file, --end-file file\n",
		"  --start-file file\n",
		"  --include-gtids list\n    \tkeep only the transactions this GTID list names, as mysqlbinlog's --include-gtids: MySQL uuid:1-5[:tag:1-3]; MariaDB domain-server-seq names that one transaction and domain-server-first..last a range",
		"  --tz zone\n",
		"(default: the local zone, as mysqlbinlog reads times; here ",
		"  --sql-type kinds\n", "  --only-dml\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("-h lacks %q:\n%s", want, out)
		}
	}
	for _, alias := range []string{"--database ", "-d ", "--stop-pos ", "--end-pos ", "--table ", "--end-file "} {
		if strings.Contains(out, "\n  "+alias) {
			t.Errorf("alias %s listed on a line of its own", alias)
		}
	}
	var none Selection
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	none.Register(fs, 0)
	if fs.Lookup("sql-type") != nil || fs.Lookup("only-dml") != nil {
		t.Error("extra flags declared without being asked for")
	}
}

func TestSelectionParseErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--tz", "Mars/Olympus"}, "bad --tz"},
		{[]string{"--start-datetime", "yesterday"}, `bad --start-datetime "yesterday"`},
		{[]string{"--start-datetime", "2024-05-01 11:00", "--stop-datetime", "2024-05-01 10:00"}, "--stop-datetime is not after --start-datetime"},
		{[]string{"--start-position", "200", "--stop-position", "100", "a"}, "--stop-position 100 is not after --start-position 200"},
		{[]string{"--start-position", "3"}, "--start-position 3 is inside the file's magic"},
		{[]string{"--databases", "shop.orders"}, `--databases "shop.orders" is a table; use --tables`},
		{[]string{"--tables", "[x"}, "--tables/--exclude-tables: bad table pattern"},
		{[]string{"--include-gtids", "0-1-x"}, "--include-gtids: bad GTID selection"},
		{[]string{"--exclude-gtids", "0-1-5..3"}, "--exclude-gtids: bad GTID selection"},
		{[]string{"--sql-type", "MERGE"}, `unknown --sql-type "MERGE"`},
	} {
		_, _, err := parseSel(t, c.args...)
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want a usage error with %q", c.args, err, c.want)
		}
	}
	// Over several files the stop may be before the start (it is in the
	// last file); over one file named twice, not.
	if _, _, err := parseSel(t, "--start-position", "200", "--stop-position", "100", "a", "b"); err != nil {
		t.Errorf("two files: %v", err)
	}
	if _, _, err := parseSel(t, "--start-position", "200", "--stop-position", "100", "--start-file", "a", "--stop-file", "a", "a", "b"); err == nil {
		t.Error("one file by --start-file/--stop-file: no error")
	}
}

// TestLocalZone: the default zone is the one TZ names when the tool runs
// (not when the process started, as time.Local is), and the datetimes are
// read in it.
func TestLocalZone(t *testing.T) {
	for _, c := range []struct{ tz, name string }{
		{"Asia/Shanghai", "Asia/Shanghai (UTC+08:00)"},
		{":Asia/Kolkata", "Asia/Kolkata (UTC+05:30)"},
		{"", "UTC"},
		{"UTC", "UTC"},
	} {
		t.Setenv("TZ", c.tz)
		if got := ZoneName(LocalZone()); got != c.name {
			t.Errorf("TZ=%q: %s, want %s", c.tz, got, c.name)
		}
	}
	t.Setenv("TZ", "Asia/Shanghai")
	s, _, err := parseSel(t, "--start-datetime", "2026-11-21 22:44:00")
	if err != nil || !s.Start.Equal(time.Date(2026, 11, 21, 14, 44, 0, 0, time.UTC)) {
		t.Errorf("--start-datetime in TZ=Asia/Shanghai: %v, %v", s.Start, err)
	}
	s, _, err = parseSel(t, "--tz", "UTC", "--start-datetime", "2026-11-21 22:44:00")
	if err != nil || !s.Start.Equal(time.Date(2026, 11, 21, 22, 44, 0, 0, time.UTC)) || s.Loc != time.UTC {
		t.Errorf("--tz UTC: %v, %v", s.Start, err)
	}
}

// readSel opens files through the selection and reads them through its
// filter as a tool does, returning the positions kept.
func readSel(t *testing.T, s *Selection, files ...string) []string {
	t.Helper()
	src, closeSrc, err := s.Open(files, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer closeSrc()
	f := s.Filter()
	var kept []string
	r := binlog.NewReader(src)
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if f != nil && !f.Keep(ev) {
			if s.Done() {
				break
			}
			continue
		}
		kept = append(kept, filepath.Base(ev.File)+":"+strconv.FormatUint(ev.Pos, 10))
	}
	return kept
}

// TestSelectionWarnings: a time range and a table filter that keep nothing
// say so, with the span of the input in the zone and the tables seen.
func TestSelectionWarnings(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	// The DBA's local morning, while the events are at 22:44 local.
	s, files, err := parseSel(t, "--start-datetime", "2026-11-21 14:00", "--stop-datetime", "2026-11-21 15:00", recorded[0])
	if err != nil {
		t.Fatal(err)
	}
	if kept := readSel(t, s, files...); len(kept) != 0 {
		t.Errorf("kept %v", kept)
	}
	w := s.Warnings()
	want := "--start-datetime '2026-11-21 14:00:00' --stop-datetime '2026-11-21 15:00:00' selected no event: the input spans 2026-11-21 22:44:03 to 2026-11-21 22:44:03; times are in Asia/Shanghai (UTC+08:00): --tz gives another zone"
	if len(w) != 1 || w[0] != want {
		t.Errorf("warnings %q\nwant %q", w, want)
	}

	s, files, _ = parseSel(t, "--tables", "shop.nosuch", "--databases", "binlogkit", recorded[0])
	readSel(t, s, files...)
	w = s.Warnings()
	if len(w) != 1 || !strings.HasPrefix(w[0], "--databases binlogkit --tables shop.nosuch kept no row change; the tables with rows events are binlogkit.tx (8 rows events), binlogkit.evolve (5), ") ||
		!strings.HasSuffix(w[0], " and 10 more") {
		t.Errorf("warnings %q", w)
	}

	// Something kept: no warning.
	s, files, _ = parseSel(t, "--tables", "tx", "--start-datetime", "2026-11-21 22:00", recorded[0])
	if kept := readSel(t, s, files...); len(kept) == 0 || len(s.Warnings()) != 0 {
		t.Errorf("kept %d events, warnings %q", len(kept), s.Warnings())
	}
	// Exclusions alone keeping nothing is what was asked.
	s, files, _ = parseSel(t, "--exclude-tables", "binlogkit.*", recorded[0])
	if readSel(t, s, files...); len(s.Warnings()) != 0 {
		t.Errorf("exclusions: warnings %q", s.Warnings())
	}
}

// TestSelectionPositions: --start-position applies to the first file
// --start-file picks, --stop-position to the last, and a position that is
// not an event boundary is an error after reading.
func TestSelectionPositions(t *testing.T) {
	s, files, _ := parseSel(t, append([]string{"--start-file", "mariadb-10_11-full.000002", "--start-position", "1987", "--stop-position", "2029"}, recorded...)...)
	kept := readSel(t, s, files...)
	if !slices.Equal(kept, []string{"mariadb-10_11-full.000002:1987"}) || s.Err() != nil {
		t.Errorf("kept %v, %v", kept, s.Err())
	}
	s, files, _ = parseSel(t, append([]string{"--start-position", "1989"}, recorded...)...)
	if kept := readSel(t, s, files...); len(kept) != 0 || s.Err() == nil || !strings.Contains(s.Err().Error(), "mariadb-10_11-full.000001: start position 1989 is not an event boundary") {
		t.Errorf("kept %v, %v", kept, s.Err())
	}
	s, files, _ = parseSel(t, append([]string{"--start-file", "nosuch.000001"}, recorded...)...)
	var ue *UsageError
	if _, _, err := s.Open(files, nil); !errors.As(err, &ue) || !strings.Contains(err.Error(), "no file nosuch.000001 among the inputs") {
		t.Errorf("--start-file nosuch: %v", err)
	}
}
