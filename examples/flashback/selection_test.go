package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/examples/internal/clitest"
)

// The tests of issue 18's findings 3, 4, 6, 7 and 8 against flashback, on
// the recovery scene of clitest.

// runFB runs the tool writing to a new file of dir and returns the exit
// code, stderr without the line naming the file written, and whether the
// file exists.
func runFB(t *testing.T, dir string, args ...string) (int, string, bool) {
	t.Helper()
	outputs++
	out := filepath.Join(dir, fmt.Sprintf("rollback-%d.bin", outputs))
	var errb bytes.Buffer
	code := run(context.Background(), append([]string{"--out", out}, args...), &errb)
	var lines []string
	for _, l := range strings.SplitAfter(errb.String(), "\n") {
		// The lines naming the output file differ from run to run.
		if !strings.HasPrefix(l, "flashback: wrote ") && !strings.HasPrefix(l, "flashback: apply it with: ") {
			lines = append(lines, l)
		}
	}
	_, err := os.Stat(out)
	return code, strings.Join(lines, ""), err == nil
}

// outputs numbers the rollback files runFB writes.
var outputs int

// TestPositionPastFirstFile is finding 3: no rollback is written for a
// position of the wrong file.
func TestPositionPastFirstFile(t *testing.T) {
	sc := clitest.Write(t)
	pos := fmt.Sprint(sc.Pos["0-1-5"])
	code, errs, written := runFB(t, sc.Dir, append([]string{"--start-position", pos}, sc.Files...)...)
	want := fmt.Sprintf("flashback: %s: start position %s is past the end of the file, which ends at byte %d\n", sc.Files[0], pos, sc.Size1)
	if code != 1 || written || errs != want {
		t.Errorf("exit %d, written %v, stderr %q; want exit 1 and %q", code, written, errs, want)
	}
	code, errs, written = runFB(t, sc.Dir, append([]string{"--start-file", "mysql-bin.000002", "--start-position", fmt.Sprint(sc.Pos["0-1-6"])}, sc.Files...)...)
	if code != 0 || !written || !strings.Contains(errs, "1 rollback transaction(s)") {
		t.Errorf("--start-file: exit %d, %s", code, errs)
	}
}

// TestLocalTime is finding 4: a DBA at +08:00 types local times; a range
// that misses says what the input spans.
func TestLocalTime(t *testing.T) {
	t.Setenv("TZ", "Asia/Shanghai")
	sc := clitest.Write(t)
	code, errs, written := runFB(t, sc.Dir, append([]string{"--start-datetime", "2026-11-21 18:43:50", "--stop-datetime", "2026-11-21 18:45:00"}, sc.Files...)...)
	if code != 0 || !written || !strings.Contains(errs, "1 rollback transaction(s)") {
		t.Errorf("local range: exit %d, %s", code, errs)
	}
	code, errs, written = runFB(t, sc.Dir, append([]string{"--start-datetime", "2026-11-21 10:43:00", "--stop-datetime", "2026-11-21 10:45:00"}, sc.Files...)...)
	if code != 1 || written || !strings.Contains(errs, "flashback: warning: --start-datetime '2026-11-21 10:43:00' --stop-datetime '2026-11-21 10:45:00' selected no event: the input spans 2026-11-21 18:43:00 to 2026-11-21 18:44:00; times are in Asia/Shanghai (UTC+08:00)") {
		t.Errorf("range missed: exit %d, %s", code, errs)
	}
	code, errs, _ = runFB(t, sc.Dir, append([]string{"--tz", "UTC", "--start-datetime", "2026-11-21 10:43:50"}, sc.Files...)...)
	if code != 0 || !strings.Contains(errs, "1 rollback transaction(s)") {
		t.Errorf("--tz UTC: exit %d, %s", code, errs)
	}
}

// TestFilterMatchingNothing is finding 6.
func TestFilterMatchingNothing(t *testing.T) {
	sc := clitest.Write(t)
	code, errs, written := runFB(t, sc.Dir, append([]string{"--tables", "shop.nosuch"}, sc.Files...)...)
	if code != 1 || written || !strings.Contains(errs, "flashback: warning: --tables shop.nosuch kept no row change; the tables with rows events are shop.orders (3 rows events), shop.users (1)\n") {
		t.Errorf("exit %d, %s", code, errs)
	}
}

// TestGTIDSelection is finding 7.
func TestGTIDSelection(t *testing.T) {
	sc := clitest.Write(t)
	for gtids, want := range map[string]string{"0-1-6": "1 rollback transaction(s)", "0-1-5,0-1-6": "2 rollback transaction(s)", "0-1-4..6": "3 rollback transaction(s)"} {
		code, errs, _ := runFB(t, sc.Dir, append([]string{"--include-gtids", gtids}, sc.Files...)...)
		if code != 0 || !strings.Contains(errs, want) {
			t.Errorf("--include-gtids %s: exit %d, %s", gtids, code, errs)
		}
	}
}

// TestBadFlag is finding 8: one line and exit 2 (the whole usage was
// printed); -h prints the usage on standard output.
func TestBadFlag(t *testing.T) {
	code, errs, _ := runFB(t, t.TempDir(), "--no-such-flag", "x")
	if code != 2 || errs != "flashback: flag provided but not defined: -no-such-flag (run flashback -h for usage)\n" {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	var out bytes.Buffer
	usageOut = &out
	defer func() { usageOut = os.Stdout }()
	for _, h := range []string{"-h", "--help"} {
		out.Reset()
		var errb bytes.Buffer
		if code := run(context.Background(), []string{h}, &errb); code != 0 || !strings.HasPrefix(out.String(), "Usage: flashback") || errb.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q", h, code, errb.String())
		}
	}
	clitest.CheckUsage(t, out.String(), cli.SQLType)
}

// TestAliases: every alias of a selection flag gives the rollback of its
// first name; --databases and --sql-type, which flashback lacked, work.
func TestAliases(t *testing.T) {
	sc := clitest.Write(t)
	p5, p6 := fmt.Sprint(sc.Pos["0-1-5"]), fmt.Sprint(sc.Pos["0-1-6"])
	for _, c := range [][2][]string{
		{{"--start-position", p5, "--start-file", "mysql-bin.000002"}, {"--start-pos", p5, "--start-file", "mysql-bin.000002"}},
		{{"--stop-position", p6, "--stop-file", "mysql-bin.000002", "--skip-unsafe"}, {"--stop-pos", p6, "--end-file", "mysql-bin.000002", "--skip-unsafe"}},
		{{"--databases", "shop", "--tables", "users", "--skip-unsafe"}, {"--database", "shop", "--table", "users", "--skip-unsafe"}},
		{{"--databases", "shop", "--tables", "users", "--skip-unsafe"}, {"-d", "shop", "-t", "users", "--skip-unsafe"}},
		{{"--exclude-tables", "shop.users", "--skip-unsafe"}, {"--exclude-table", "shop.users", "--skip-unsafe"}},
	} {
		code1, want, _ := runFB(t, sc.Dir, append(c[0], sc.Files...)...)
		code2, got, _ := runFB(t, sc.Dir, append(c[1], sc.Files...)...)
		if code1 != 0 || code2 != 0 || got != want || !strings.Contains(got, "rollback transaction(s)") {
			t.Errorf("%v (exit %d) and %v (exit %d) differ:\n%s\n%s", c[0], code1, c[1], code2, want, got)
		}
	}
	code, errs, _ := runFB(t, sc.Dir, append([]string{"--sql-type", "DELETE", "--skip-unsafe"}, sc.Files...)...)
	if code != 0 || !strings.Contains(errs, "1 rollback transaction(s)") {
		t.Errorf("--sql-type DELETE: exit %d, %s", code, errs)
	}
}
