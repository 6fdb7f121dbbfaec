package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/examples/internal/clitest"
)

// The tests of issue 18's findings 3, 4, 6, 7 and 8 against binlog2sql, on
// the recovery scene of clitest (two files; the DELETE by mistake at
// 10:44:00 UTC, 18:44:00 in Asia/Shanghai).

// TestPositionPastFirstFile is finding 3: a --start-position of the second
// file given for the first selected nothing and exited 0; it is an error
// naming the first file's size, and --start-file says which file it is of.
func TestPositionPastFirstFile(t *testing.T) {
	sc := clitest.Write(t)
	pos := fmt.Sprint(sc.Pos["0-1-5"])
	out, errs, code := runTool(t, append([]string{"--start-position", pos}, sc.Files...)...)
	want := fmt.Sprintf("binlog2sql: %s: start position %s is past the end of the file, which ends at byte %d\n", sc.Files[0], pos, sc.Size1)
	if code != exitBadInput || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errs, want)
	}
	out, errs, code = runTool(t, append([]string{"--start-file", "mysql-bin.000002", "--start-pos", pos}, sc.Files...)...)
	if code != exitOK || !strings.Contains(out, "'coffee'") || !strings.Contains(out, "DELETE FROM `shop`.`orders`") || strings.Contains(out, "'tea'") {
		t.Errorf("--start-file: exit %d, %s\n%s", code, errs, out)
	}
	// A position inside an event names the boundaries around it.
	_, errs, code = runTool(t, append([]string{"--start-position", fmt.Sprint(sc.Pos["0-1-5"] + 1), "--start-file", "mysql-bin.000002"}, sc.Files...)...)
	if code != exitBadInput || !strings.Contains(errs, fmt.Sprintf("mysql-bin.000002: start position %d is not an event boundary: it falls inside the GTID_EVENT at %d; the nearest boundaries are %d and ", sc.Pos["0-1-5"]+1, sc.Pos["0-1-5"], sc.Pos["0-1-5"])) {
		t.Errorf("inside an event: exit %d, %q", code, errs)
	}
}

// TestLocalTime is finding 4 (TESTCASES.md #40): --start-datetime is read in the local zone
// (TZ) as mysqlbinlog and binlog2sql read it, the output names the zone,
// and a range that selects nothing says what the input spans, in it.
func TestLocalTime(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	sc := clitest.Write(t)
	out, errs, code := runTool(t, append([]string{"--start-datetime", "2026-11-21 18:43:50", "--stop-datetime", "2026-11-21 18:45:00"}, sc.Files...)...)
	if code != exitOK || !strings.HasPrefix(out, "# binlog2sql: the times in the comments are Asia/Shanghai (UTC+08:00)\n") ||
		!strings.Contains(out, "time 2026-11-21 18:44:00 gtid 0-1-6") || strings.Contains(out, "INSERT") || errs != "" {
		t.Errorf("local range: exit %d, %s\n%s", code, errs, out)
	}
	// The UTC times of the mistake, typed at +08:00, select nothing.
	out, errs, code = runTool(t, append([]string{"--start-datetime", "2026-11-21 10:43:00", "--stop-datetime", "2026-11-21 10:45:00"}, sc.Files...)...)
	want := "# warning: --start-datetime '2026-11-21 10:43:00' --stop-datetime '2026-11-21 10:45:00' selected no event: the input spans 2026-11-21 18:43:00 to 2026-11-21 18:44:00; times are in Asia/Shanghai (UTC+08:00): --tz gives another zone\n"
	if code != exitOK || out != "" || errs != want {
		t.Errorf("range missed: exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	// --tz UTC reads them as UTC.
	out, _, _ = runTool(t, append([]string{"--tz", "UTC", "--start-datetime", "2026-11-21 10:43:50"}, sc.Files...)...)
	if !strings.Contains(out, "time 2026-11-21 10:44:00 gtid 0-1-6") || !strings.HasPrefix(out, "# binlog2sql: the times in the comments are UTC\n") {
		t.Errorf("--tz UTC:\n%s", out)
	}
}

// TestFilterMatchingNothing is finding 6: a table filter that keeps no row
// change warns, listing the tables seen.
func TestFilterMatchingNothing(t *testing.T) {
	sc := clitest.Write(t)
	out, errs, code := runTool(t, append([]string{"--tables", "shop.nosuch"}, sc.Files...)...)
	want := "# warning: --tables shop.nosuch kept no row change; the tables with rows events are shop.orders (3 rows events), shop.users (1)\n"
	if code != exitOK || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	out, errs, _ = runTool(t, append([]string{"-d", "shop", "-t", "users"}, sc.Files...)...)
	if errs != "" || !strings.Contains(out, "`users`") || strings.Contains(out, "`orders`") {
		t.Errorf("-d shop -t users: %s\n%s", errs, out)
	}
}

// TestGTIDSelection is finding 7: a MariaDB GTID names one transaction,
// and a list of one domain works.
func TestGTIDSelection(t *testing.T) {
	sc := clitest.Write(t)
	for _, c := range []struct {
		gtids string
		want  []string // GTIDs in the output
	}{
		{"0-1-5", []string{"0-1-5"}},
		{"0-1-5,0-1-6", []string{"0-1-5", "0-1-6"}},
		{"0-1-2..5", []string{"0-1-2", "0-1-4", "0-1-5"}},
	} {
		out, errs, code := runTool(t, append([]string{"--include-gtids", c.gtids}, sc.Files...)...)
		if code != exitOK {
			t.Errorf("%s: exit %d, %s", c.gtids, code, errs)
			continue
		}
		for _, g := range []string{"0-1-2", "0-1-4", "0-1-5", "0-1-6"} {
			in := strings.Contains(out, "gtid "+g+"\n")
			if want := strings.Contains(strings.Join(c.want, " ")+" ", g+" "); in != want {
				t.Errorf("--include-gtids %s: %s in the output: %v", c.gtids, g, in)
			}
		}
	}
}

// TestBadFlag is finding 8: one line, the way to the usage (--help: -h is
// the server here), exit 2; --help works.
func TestBadFlag(t *testing.T) {
	out, errs, code := runTool(t, "--no-such-flag")
	if code != exitUsage || out != "" || errs != "binlog2sql: flag provided but not defined: -no-such-flag (run binlog2sql --help for usage)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	out, _, code = runTool(t, "--help")
	if code != exitOK || !strings.HasPrefix(out, "Usage: binlog2sql") {
		t.Errorf("--help: exit %d", code)
	}
	clitest.CheckUsage(t, out, cli.SQLType|cli.OnlyDML)
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
	} {
		want, _, code1 := runTool(t, append(c[0], sc.Files...)...)
		got, errs, code2 := runTool(t, append(c[1], sc.Files...)...)
		if code1 != exitOK || code2 != exitOK || got != want || !strings.Contains(got, "INSERT") {
			t.Errorf("%v (exit %d) and %v (exit %d, %s) differ:\n%s\n%s", c[0], code1, c[1], code2, errs, want, got)
		}
	}
	// --sql-type with --flashback chooses the changes to undo: the DELETE
	// is undone by INSERTs.
	out, errs, code := runTool(t, append([]string{"--flashback", "--skip-unsafe", "--sql-type", "DELETE", "--no-comments"}, sc.Files...)...)
	if code != exitOK || strings.Count(out, "INSERT INTO `shop`.`orders`") != 2 || strings.Contains(out, "DELETE") {
		t.Errorf("--flashback --sql-type DELETE: exit %d, %s\n%s", code, errs, out)
	}
	if _, errs, code := runTool(t, "--only-dml", "--ddl"); code != exitUsage || !strings.Contains(errs, "--only-dml and --ddl") {
		t.Errorf("--only-dml --ddl: exit %d, %s", code, errs)
	}
}
