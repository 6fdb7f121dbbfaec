package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/examples/internal/clitest"
)

// The tests of issue 18's findings 3, 4, 6, 7 and 8 against binlogstat, on
// the recovery scene of clitest.

func sceneReport(t *testing.T, args ...string) (*report, string) {
	t.Helper()
	code, out, errs := runTool(append([]string{"--json"}, args...), nil)
	if code != exitOK {
		t.Fatalf("%v: exit %d, %s", args, code, errs)
	}
	var rep report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	return &rep, errs
}

// TestPositionPastFirstFile is finding 3.
func TestPositionPastFirstFile(t *testing.T) {
	sc := clitest.Write(t)
	pos := fmt.Sprint(sc.Pos["0-1-5"])
	code, out, errs := runTool(append([]string{"--start-position", pos}, sc.Files...), nil)
	want := fmt.Sprintf("binlogstat: %s: start position %s is past the end of the file, which ends at byte %d\n", sc.Files[0], pos, sc.Size1)
	if code != exitBadInput || out != "" || errs != want {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, out, errs, want)
	}
	rep, _ := sceneReport(t, append([]string{"--start-file", "mysql-bin.000002", "--start-position", pos}, sc.Dir)...)
	if rep.Transactions.Count != 2 || rep.Transactions.Rows != 5 {
		t.Errorf("--start-file in a backup directory: %+v", rep.Transactions)
	}
}

// TestLocalTime is finding 4: the local zone by default, named in the
// report.
func TestLocalTime(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	sc := clitest.Write(t)
	rep, errs := sceneReport(t, append([]string{"--start-datetime", "2026-11-21 18:43:50"}, sc.Files...)...)
	if rep.Transactions.Count != 1 || rep.Transactions.Rows != 2 || rep.TimeZone != "Asia/Shanghai (UTC+08:00)" ||
		rep.Transactions.FirstTime != "2026-11-21T18:44:00+08:00" || errs != "" {
		t.Errorf("local range: %s %+v, %s", rep.TimeZone, rep.Transactions, errs)
	}
	code, out, _ := runTool(sc.Files, nil)
	if code != exitOK || !strings.HasPrefix(out, "Times are Asia/Shanghai (UTC+08:00).\n") {
		t.Errorf("text report:\n%s", out)
	}
	rep, errs = sceneReport(t, append([]string{"--start-datetime", "2026-11-21 10:43:00", "--stop-datetime", "2026-11-21 10:45:00"}, sc.Files...)...)
	if rep.Transactions.Count != 0 || !strings.Contains(errs, "selected no event: the input spans 2026-11-21 18:43:00 to 2026-11-21 18:44:00; times are in Asia/Shanghai (UTC+08:00)") {
		t.Errorf("range missed: %+v, stderr %q", rep.Transactions, errs)
	}
}

// TestFilterMatchingNothing is finding 6.
func TestFilterMatchingNothing(t *testing.T) {
	sc := clitest.Write(t)
	rep, errs := sceneReport(t, append([]string{"--table", "shop.nosuch"}, sc.Files...)...)
	if rep.Transactions.Count != 0 || rep.Transactions.DDL != 0 || errs != "# warning: --tables shop.nosuch kept no row change; the tables with rows events are shop.orders (3 rows events), shop.users (1)\n" {
		t.Errorf("%+v, stderr %q", rep.Transactions, errs)
	}
	rep, _ = sceneReport(t, append([]string{"-t", "orders"}, sc.Files...)...)
	if rep.Transactions.DDL != 1 || len(rep.Tables) != 1 || rep.Tables[0].Table != "orders" {
		t.Errorf("-t orders: %+v %+v", rep.Transactions, rep.Tables)
	}
}

// TestGTIDSelection is finding 7.
func TestGTIDSelection(t *testing.T) {
	sc := clitest.Write(t)
	for gtids, want := range map[string]uint64{"0-1-5": 1, "0-1-5,0-1-6": 2, "0-1-2..5": 4} {
		rep, _ := sceneReport(t, append([]string{"--include-gtids", gtids}, sc.Files...)...)
		if rep.Transactions.Count != want {
			t.Errorf("--include-gtids %s: %d transactions, want %d", gtids, rep.Transactions.Count, want)
		}
	}
}

// TestBadFlag is finding 8.
func TestBadFlag(t *testing.T) {
	code, out, errs := runTool([]string{"--no-such-flag", "x"}, nil)
	if code != exitUsage || out != "" || errs != "binlogstat: flag provided but not defined: -no-such-flag (run binlogstat -h for usage)\n" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	for _, h := range []string{"-h", "--help"} {
		code, out, _ = runTool([]string{h}, nil)
		if code != exitOK || !strings.HasPrefix(out, "Usage: binlogstat") {
			t.Errorf("%s: exit %d", h, code)
		}
	}
	clitest.CheckUsage(t, out, cli.OnlyDML)
}

// TestAliases: every alias of a selection flag gives the report of its
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
		{{"--output", "-"}, {"-o", "-"}},
	} {
		code1, want, _ := runTool(append(c[0], sc.Files...), nil)
		code2, got, errs := runTool(append(c[1], sc.Files...), nil)
		if code1 != exitOK || code2 != exitOK || got != want || !strings.Contains(got, "== Tables") {
			t.Errorf("%v (exit %d) and %v (exit %d, %s) differ", c[0], code1, c[1], code2, errs)
		}
	}
}
