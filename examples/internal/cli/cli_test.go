package cli

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func isUsage(err error) bool {
	var ue *UsageError
	return errors.As(err, &ue)
}

func TestParseZone(t *testing.T) {
	for _, c := range []struct {
		in     string
		offset int // seconds east of UTC at 2024-01-15 12:00 UTC
		name   string
	}{
		{"", 0, "UTC"}, {"UTC", 0, "UTC"}, {"z", 0, "UTC"}, {"GMT", 0, "UTC"},
		{"+08:00", 8 * 3600, "+08:00"}, {"-0530", -(5*3600 + 30*60), "-0530"}, {"+8", 8 * 3600, "+8"},
		{"-00:30", -30 * 60, "-00:30"}, {"+14:00", 14 * 3600, "+14:00"},
		{"Europe/Berlin", 3600, "Europe/Berlin"}, {"Asia/Kolkata", 5*3600 + 30*60, "Asia/Kolkata"},
	} {
		loc, err := ParseZone(c.in)
		if err != nil {
			t.Errorf("ParseZone(%q): %v", c.in, err)
			continue
		}
		_, off := time.Date(2024, 1, 15, 12, 0, 0, 0, time.UTC).In(loc).Zone()
		if off != c.offset || loc.String() != c.name {
			t.Errorf("ParseZone(%q) = %s offset %d, want %s offset %d", c.in, loc, off, c.name, c.offset)
		}
	}
	if loc, err := ParseZone("Local"); err != nil || loc != time.Local {
		t.Errorf("ParseZone(Local) = %v, %v", loc, err)
	}
	for _, in := range []string{"+99:00", "+15", "+08:60", "-ab", "+", "+08:xx", "Mars/Olympus"} {
		loc, err := ParseZone(in)
		if err == nil || !isUsage(err) || !strings.Contains(err.Error(), "--tz") {
			t.Errorf("ParseZone(%q) = %v, %v; want a usage error naming --tz", in, loc, err)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	loc, _ := ParseZone("+02:00")
	got, err := ParseDateTime("start-datetime", "2024-05-01 10:00:00", loc)
	if want := time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC); err != nil || !got.Equal(want) {
		t.Errorf("ParseDateTime = %v, %v; want %v", got, err, want)
	}
	_, err = ParseDateTime("stop-datetime", "yesterday", time.UTC)
	if !isUsage(err) || err.Error() != `bad --stop-datetime "yesterday": want "YYYY-MM-DD HH:MM:SS"` {
		t.Errorf("bad time: %v", err)
	}
}

func newTestFlags() (*flag.FlagSet, *bool, *[]string) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	json := fs.Bool("json", false, "print `JSON`")
	var tables []string
	fs.Var(List(&tables), "table", "keep `db.table`; repeatable or comma list")
	return fs, json, &tables
}

func TestParseFlags(t *testing.T) {
	fs, json, tables := newTestFlags()
	files, err := ParseFlags(fs, []string{"a.bin", "--json", "b.bin", "--table", " x.y, ,z ", "--table=w", "--", "--c.bin", "-"})
	if err != nil || !*json || !slices.Equal(files, []string{"a.bin", "b.bin", "--c.bin", "-"}) || !slices.Equal(*tables, []string{"x.y", "z", "w"}) {
		t.Errorf("ParseFlags: files %q, json %v, tables %q, err %v", files, *json, *tables, err)
	}
	fs, _, _ = newTestFlags()
	if _, err := ParseFlags(fs, []string{"a.bin", "-h"}); err != flag.ErrHelp {
		t.Errorf("-h: %v", err)
	}
	fs, _, _ = newTestFlags()
	if _, err := ParseFlags(fs, []string{"--nope"}); !isUsage(err) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown flag: %v", err)
	}
	fs, _, _ = newTestFlags()
	if files, err := ParseFlags(fs, nil); err != nil || files != nil {
		t.Errorf("no args: %q, %v", files, err)
	}
}

func TestPrintUsage(t *testing.T) {
	fs, _, _ := newTestFlags()
	fs.Duration("every", 0, "every `interval`")
	fs.Duration("wait", 10*time.Second, "wait this `long`")
	fs.Int("top", 10, "the `n` greatest")
	fs.Int("batch", 0, "rows per `n`")
	fs.String("tz", "UTC", "time `zone`")
	fs.Bool("v", false, "verbose")
	var b bytes.Buffer
	PrintUsage(&b, "HEAD\n", fs, "TAIL\n")
	want := "HEAD\n" +
		"  --batch n\n    \trows per n\n" +
		"  --every interval\n    \tevery interval\n" +
		"  --json JSON\n    \tprint JSON\n" +
		"  --table db.table\n    \tkeep db.table; repeatable or comma list\n" +
		"  --top n\n    \tthe n greatest (default 10)\n" +
		"  --tz zone\n    \ttime zone (default UTC)\n" +
		"  -v\n    \tverbose\n" +
		"  --wait long\n    \twait this long (default 10s)\n" +
		"TAIL\n"
	if b.String() != want {
		t.Errorf("PrintUsage:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestGTIDFilter(t *testing.T) {
	f, err := GTIDFilter("0-1-100", "")
	g, ok := f.(*binlog.GTIDFilter)
	if err != nil || !ok || g.Include == nil || g.Exclude != nil {
		t.Fatalf("GTIDFilter(include) = %#v, %v", f, err)
	}
	f, err = GTIDFilter("", "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5")
	if g, ok := f.(*binlog.GTIDFilter); err != nil || !ok || g.Include != nil || g.Exclude == nil {
		t.Fatalf("GTIDFilter(exclude) = %#v, %v", f, err)
	}
	for _, c := range []struct{ include, exclude, flag string }{
		{"0-1-x", "", "--include-gtids: "},
		{"0-1-5", "not a gtid", "--exclude-gtids: "},
	} {
		if _, err := GTIDFilter(c.include, c.exclude); !isUsage(err) || !strings.HasPrefix(err.Error(), c.flag) {
			t.Errorf("GTIDFilter(%q, %q) error %v; want a usage error starting %q", c.include, c.exclude, err, c.flag)
		}
	}
}

func query(schema, stmt string) *event.Event {
	return &event.Event{Header: event.Header{Type: event.QueryEvent}, Body: &event.Query{Schema: []byte(schema), Query: []byte(stmt)}}
}

func TestDatabaseFilter(t *testing.T) {
	f, err := NewDatabaseFilter([]string{"shop", "app_*"}, "--table")
	if err != nil {
		t.Fatal(err)
	}
	tm := func(db, table string) *event.TableMap {
		return &event.TableMap{Schema: []byte(db), Table: []byte(table)}
	}
	rows := func(db, table string) *event.Event {
		return &event.Event{Header: event.Header{Type: event.WriteRowsEventV2}, Body: &event.Rows{}, Table: tm(db, table)}
	}
	for _, c := range []struct {
		what string
		ev   *event.Event
		keep bool
	}{
		{"DDL in shop", query("shop", "ALTER TABLE t ADD c INT"), true},
		{"DDL in app_1", query("app_1", "CREATE TABLE t (a INT)"), true},
		{"DDL in other", query("other", "DROP TABLE shop.t"), false},
		{"statement without a default database", query("", "INSERT INTO shop.t VALUES (1)"), false},
		{"BEGIN in other", query("other", "BEGIN"), true},
		{"COMMIT in other", query("other", "COMMIT"), true},
		{"ROLLBACK in other", query("other", "ROLLBACK"), true},
		{"TABLE_MAP shop.t", &event.Event{Header: event.Header{Type: event.TableMapEvent}, Body: tm("shop", "t")}, true},
		{"TABLE_MAP other.t", &event.Event{Header: event.Header{Type: event.TableMapEvent}, Body: tm("other", "t")}, false},
		{"rows of shop.t from a session in other", rows("shop", "t"), true},
		{"rows of other.t", rows("other", "t"), false},
		{"rows of app_2.x", rows("app_2", "x"), true},
		{"rows without a TABLE_MAP", &event.Event{Header: event.Header{Type: event.WriteRowsEventV2}, Body: &event.Rows{}}, false},
		{"XID", &event.Event{Header: event.Header{Type: event.XIDEvent}, Body: &event.XID{}}, true},
	} {
		if got := f.Keep(c.ev); got != c.keep {
			t.Errorf("%s: Keep = %v, want %v", c.what, got, c.keep)
		}
	}
	if _, err := NewDatabaseFilter([]string{"shop.orders"}, "--tables"); err == nil || err.Error() != `"shop.orders" is a table; use --tables for db.table patterns` {
		t.Errorf("table pattern: %v", err)
	}
	if _, err := NewDatabaseFilter([]string{"[x"}, "--table"); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestRanges(t *testing.T) {
	for _, c := range []struct {
		start, stop uint64
		files       int
		err         string
	}{
		{0, 0, 1, ""}, {4, 0, 1, ""}, {0, 120, 1, ""}, {100, 200, 1, ""}, {200, 100, 2, ""},
		{200, 100, 1, "--stop-position 100 is not after --start-position 200"},
		{100, 100, 0, "--stop-position 100 is not after --start-position 100"},
		{3, 0, 1, "--start-position 3 is inside the file's magic (the first event is at 4)"},
	} {
		err := CheckPositions(c.start, c.stop, c.files)
		if c.err == "" && err != nil || c.err != "" && (!isUsage(err) || err.Error() != c.err) {
			t.Errorf("CheckPositions(%d, %d, %d) = %v, want %q", c.start, c.stop, c.files, err, c.err)
		}
	}
	t1 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	if err := CheckTimes(t1, t1); !isUsage(err) || err.Error() != "--stop-datetime is not after --start-datetime" {
		t.Errorf("CheckTimes(t, t) = %v", err)
	}
	for _, c := range [][2]time.Time{{t1, t1.Add(time.Second)}, {t1, {}}, {{}, t1}, {}} {
		if err := CheckTimes(c[0], c[1]); err != nil {
			t.Errorf("CheckTimes(%v, %v) = %v", c[0], c[1], err)
		}
	}

	fs, pr := RangeFilters(0, 0, time.Time{}, time.Time{}, []string{"a"})
	if len(fs) != 0 || pr != nil || All(fs) != nil {
		t.Errorf("no ranges: %v, %v", fs, pr)
	}
	fs, pr = RangeFilters(120, 900, time.Time{}, time.Time{}, []string{"a", "b", "c"})
	if len(fs) != 1 || pr == nil || fs[0] != pr || All(fs) != binlog.Filter(pr) ||
		*pr != (binlog.PositionRange{Start: 120, Stop: 900, StartFile: "a", StopFile: "c"}) {
		t.Errorf("positions over files: %v, %+v", fs, pr)
	}
	fs, pr = RangeFilters(120, 0, t1, time.Time{}, []string{"a"})
	if len(fs) != 2 || pr == nil || pr.StartFile != "" || fs[1] != (binlog.TimeRange{Start: t1}) {
		t.Errorf("position and time: %v, %+v", fs, pr)
	}
	switch f := All(fs).(type) {
	case nil, *binlog.PositionRange, binlog.TimeRange:
		t.Errorf("All of two = %#v, want both combined", f)
	}
}
