package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func runTool(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := runTool("-h")
	if code != exitOK {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"--dsn", "--dir", "--start-file", "--gtid", "--compress", "--fsync", "--server-id", "--non-blocking", "--stop-never", "Examples:", "binlogbackup.index"} {
		if !strings.Contains(out, f) {
			t.Errorf("usage lacks %s", f)
		}
	}
	for _, args := range [][]string{
		{},
		{"--dsn", "root@/"},
		{"--dir", t.TempDir()},
		{"--dsn", "root@/", "--dir", t.TempDir(), "--compress", "xz"},
		{"--dsn", "root@/", "--dir", t.TempDir(), "--gtid", "0-1-x"},
		{"--dsn", "root@/", "--dir", t.TempDir(), "--gtid", "0-1-2", "--start-file", "b.000001"},
		{"--dsn", "root@/", "--dir", t.TempDir(), "extra"},
		{"--no-such-flag"},
	} {
		code, out, stderr := runTool(args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(stderr, "binlogbackup: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
}
