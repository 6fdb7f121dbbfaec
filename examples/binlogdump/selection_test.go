package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/examples/internal/clitest"
)

// The tests of issue 18's findings 3, 4, 6, 7 and 8 against binlogdump, on
// the recovery scene of clitest.

func atLines(out string) []string {
	return regexp.MustCompile(`(?m)^# at \d+$`).FindAllString(out, -1)
}

// TestPositionPastFirstFile is finding 3.
func TestPositionPastFirstFile(t *testing.T) {
	sc := clitest.Write(t)
	pos := fmt.Sprint(sc.Pos["0-1-5"])
	code, out, errs := dump(t, nil, append([]string{"--start-position", pos}, sc.Files...)...)
	want := fmt.Sprintf("binlogdump: %s: start position %s is past the end of the file, which ends at byte %d\n", sc.Files[0], pos, sc.Size1)
	if code != exitBadInput || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errs, want)
	}
	// --start-file picks the file, in a list and in a backup directory.
	for _, in := range [][]string{sc.Files, {sc.Dir}} {
		code, out, errs = dump(t, nil, append([]string{"--start-file", "mysql-bin.000002", "--start-pos", pos}, in...)...)
		if code != exitOK || atLines(out)[0] != "# at "+pos || !strings.Contains(out, "DELETE FROM orders") {
			t.Errorf("--start-file on %v: exit %d, %s\n%s", in, code, errs, out)
		}
	}
	// A stop inside an event names the boundaries around it.
	code, _, errs = dump(t, nil, append([]string{"--stop-position", fmt.Sprint(sc.Pos["0-1-6"] + 3)}, sc.Files...)...)
	if code != exitBadInput || !strings.Contains(errs, fmt.Sprintf("mysql-bin.000002: stop position %d is not an event boundary: it falls inside the GTID_EVENT at %d;", sc.Pos["0-1-6"]+3, sc.Pos["0-1-6"])) {
		t.Errorf("stop inside an event: exit %d, %q", code, errs)
	}
}

// TestLocalTime is finding 4.
func TestLocalTime(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	sc := clitest.Write(t)
	code, out, errs := dump(t, nil, append([]string{"--start-datetime", "2026-11-21 18:43:50"}, sc.Files...)...)
	if code != exitOK || !strings.HasPrefix(out, "# binlogdump: times are Asia/Shanghai (UTC+08:00)\n") ||
		!strings.Contains(out, "#261121 18:44:00 server id 1") || strings.Contains(out, "18:43:30") || errs != "" {
		t.Errorf("local range: exit %d, %s\n%s", code, errs, out)
	}
	code, out, errs = dump(t, nil, append([]string{"--start-datetime", "2026-11-21 10:43:00", "--stop-datetime", "2026-11-21 10:45:00"}, sc.Files...)...)
	if code != exitOK || len(atLines(out)) > 4 || !strings.Contains(errs, "selected no event: the input spans 2026-11-21 18:43:00 to 2026-11-21 18:44:00; times are in Asia/Shanghai (UTC+08:00)") {
		t.Errorf("range missed: exit %d, %d events, stderr %q", code, len(atLines(out)), errs)
	}
}

// TestFilterMatchingNothing is finding 6: a table filter drops the other
// tables' statement text too (the "#Q>" lines of ANNOTATE_ROWS), and one
// that keeps no row change warns.
func TestFilterMatchingNothing(t *testing.T) {
	sc := clitest.Write(t)
	code, out, errs := dump(t, nil, append([]string{"--table", "shop.nosuch"}, sc.Files...)...)
	if code != exitOK || strings.Contains(out, "#Q>") || strings.Contains(out, "Table_map") || strings.Contains(out, "CREATE TABLE") {
		t.Errorf("--table shop.nosuch: exit %d\n%s", code, out)
	}
	if errs != "# warning: --tables shop.nosuch kept no row change; the tables with rows events are shop.orders (3 rows events), shop.users (1)\n" {
		t.Errorf("stderr %q", errs)
	}
	_, out, _ = dump(t, nil, append([]string{"--table", "shop.orders"}, sc.Files...)...)
	if strings.Count(out, "#Q>") != 3 || strings.Contains(out, "INSERT INTO users") || strings.Contains(out, "CREATE TABLE users") || !strings.Contains(out, "CREATE TABLE orders") {
		t.Errorf("--table shop.orders:\n%s", out)
	}
}

// TestGTIDSelection is finding 7.
func TestGTIDSelection(t *testing.T) {
	sc := clitest.Write(t)
	for _, c := range []struct{ gtids, want string }{
		{"0-1-5", "0-1-5"},
		{"0-1-5,0-1-6", "0-1-5 0-1-6"},
		{"0-1-1..2", "0-1-1 0-1-2"},
	} {
		code, out, errs := dump(t, nil, append([]string{"--include-gtids", c.gtids}, sc.Files...)...)
		got := strings.Join(regexp.MustCompile(`GTID (\d+-\d+-\d+)`).FindAllString(out, -1), " ")
		if code != exitOK || got != "GTID "+strings.ReplaceAll(c.want, " ", " GTID ") {
			t.Errorf("--include-gtids %s: exit %d %s, %s", c.gtids, code, errs, got)
		}
	}
}

// TestBadFlag is finding 8.
func TestBadFlag(t *testing.T) {
	code, out, errs := dump(t, nil, "--no-such-flag")
	if code != exitUsage || out != "" || errs != "binlogdump: flag provided but not defined: -no-such-flag (run binlogdump -h for usage)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, h := range []string{"-h", "--help"} {
		code, out, _ = dump(t, nil, h)
		if code != exitOK || !strings.HasPrefix(out, "Usage: binlogdump") {
			t.Errorf("%s: exit %d", h, code)
		}
	}
	clitest.CheckUsage(t, out, cli.OnlyDML)
	if !strings.Contains(out, "  --verbose, -v\n") || !strings.Contains(out, "  --output, -o file\n") {
		t.Errorf("-v and -o are not listed as aliases:\n%s", out)
	}
}

// TestAliases: every alias of a selection flag gives the output of its
// first name.
func TestAliases(t *testing.T) {
	sc := clitest.Write(t)
	p5, p6 := fmt.Sprint(sc.Pos["0-1-5"]), fmt.Sprint(sc.Pos["0-1-6"])
	for _, c := range [][2][]string{
		{{"--start-position", p5, "--start-file", "mysql-bin.000002"}, {"--start-pos", p5, "--start-file", "mysql-bin.000002"}},
		{{"--stop-position", p6, "--stop-file", "mysql-bin.000002"}, {"--stop-pos", p6, "--end-file", "mysql-bin.000002"}},
		{{"--stop-position", p6}, {"--end-pos", p6}},
		{{"--databases", "shop", "--tables", "users"}, {"--database", "shop", "--table", "users"}},
		{{"--databases", "shop", "--tables", "users"}, {"-d", "shop", "-t", "users"}},
		{{"--exclude-tables", "shop.users"}, {"--exclude-table", "shop.users"}},
		{{"--verbose", "--only-dml"}, {"-v", "--only-dml"}},
	} {
		code1, want, _ := dump(t, nil, append(c[0], sc.Files...)...)
		code2, got, errs := dump(t, nil, append(c[1], sc.Files...)...)
		if code1 != exitOK || code2 != exitOK || got != want || len(atLines(got)) < 3 {
			t.Errorf("%v (exit %d) and %v (exit %d, %s) differ", c[0], code1, c[1], code2, errs)
		}
	}
	// --only-dml leaves the DDL out.
	_, out, _ := dump(t, nil, append([]string{"--only-dml"}, sc.Files...)...)
	if strings.Contains(out, "CREATE TABLE") || !strings.Contains(out, "#Q> DELETE FROM orders") {
		t.Errorf("--only-dml:\n%s", out)
	}
}
