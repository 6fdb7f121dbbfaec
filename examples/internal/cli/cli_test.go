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
