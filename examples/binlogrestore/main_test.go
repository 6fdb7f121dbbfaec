package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runTool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// recordedArchive lays the recorded MariaDB files out as an archive.
func recordedArchive(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for i := 1; i <= 4; i++ {
		name := fmt.Sprintf("mariadb-10_11-full.%06d", i)
		data, err := os.ReadFile(filepath.Join("../../testdata/recorded", name))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	return dir
}

func TestUsage(t *testing.T) {
	code, out, _ := runTool("-h")
	if code != exitOK {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"--dir", "--dsn", "--start-file", "--start-position", "--start-gtid", "--until", "--tz", "--until-gtid", "--until-position", "--identity", "--dry-run", "--listen", "Examples:"} {
		if !strings.Contains(out, f) {
			t.Errorf("usage lacks %s", f)
		}
	}
	d := t.TempDir()
	for _, args := range [][]string{
		{},
		{"--dir", d, "--start-gtid", "0-1-1", "--until-gtid", "0-1-5"},
		{"--dir", d, "--dry-run", "--until-gtid", "0-1-5"},
		{"--dir", d, "--dry-run", "--start-file", "b.000001", "--until-gtid", "0-1-5"},
		{"--dir", d, "--dry-run", "--start-gtid", "0-1-1"},
		{"--dir", d, "--dry-run", "--start-gtid", "0-1-1", "--until-gtid", "0-1-5", "--until-position", "b.000001:4"},
		{"--dir", d, "--dry-run", "--start-gtid", "0-1-1", "--until", "yesterday"},
		{"--dir", d, "--dry-run", "--start-gtid", "0-1-1", "--until-position", "b.000001"},
		{"--dir", d, "--dry-run", "--start-gtid", "0-1-1", "--until-gtid", "0-1-5", "--tz", "UTC"},
		{"--dir", d, "--dry-run", "--start-file", "b.000001", "--start-position", "2", "--until-gtid", "0-1-5"},
	} {
		code, out, stderr := runTool(args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(stderr, "binlogrestore: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
}

// TestDryRunPlans: the range a restore applies, found in the recorded
// archive by each kind of start and stop point.
func TestDryRunPlans(t *testing.T) {
	dir := recordedArchive(t)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--start-file", "mariadb-10_11-full.000001", "--start-position", "337", "--until-gtid", "0-1-3"},
			[]string{"first:   mariadb-10_11-full.000001:337 (GTID 0-1-1)", "before mariadb-10_11-full.000001:904 (GTID 0-1-3)", "2 transactions to apply from 1 files"}},
		{[]string{"--start-gtid", "0-1-1", "--until-position", "mariadb-10_11-full.000001:1751"},
			[]string{"first:   mariadb-10_11-full.000001:525 (GTID 0-1-2)", "stop:    mariadb-10_11-full.000001:1751", "2 transactions to apply"}},
		{[]string{"--start-gtid", "0-1-70", "--until-gtid", "0-1-80"},
			[]string{"(GTID 0-1-71)", "before mariadb-10_11-full.00000", "(GTID 0-1-80)", "9 transactions to apply"}},
		{[]string{"--start-gtid", "0-1-2", "--until", "2026-11-21 20:14:04", "--tz", "+05:30"},
			[]string{"(GTID 0-1-3)", "committed 2026-11-21"}},
	} {
		code, out, errs := runTool(append([]string{"--dir", dir, "--dry-run"}, c.args...)...)
		if code != exitOK {
			t.Errorf("%v: exit %d\n%s%s", c.args, code, out, errs)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
			}
		}
		if !strings.Contains(out, "dry run: nothing applied") {
			t.Errorf("%v: no dry-run line:\n%s", c.args, out)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--start-file", "mariadb-10_11-full.000001", "--start-position", "338", "--until-gtid", "0-1-3"}, "not where a transaction starts"},
		{[]string{"--start-file", "mariadb-10_11-full.000009", "--start-position", "4", "--until-gtid", "0-1-3"}, "not in the archive"},
		{[]string{"--start-gtid", "0-1-2", "--until", "2099-01-01 00:00:00"}, "transactions after it are not in the archive"},
		{[]string{"--start-gtid", "0-1-2", "--until-gtid", "0-1-9999"}, "transactions after it are not in the archive"},
	} {
		code, out, errs := runTool(append([]string{"--dir", dir, "--dry-run"}, c.args...)...)
		if code != exitError || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, want 1 and %q:\n%s%s", c.args, code, c.want, out, errs)
		}
	}
}
