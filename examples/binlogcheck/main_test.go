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
	if code != exitOK || !strings.Contains(out, "--dsn") || !strings.Contains(out, "--dir") || !strings.Contains(out, "--json") || !strings.Contains(out, "Examples:") {
		t.Fatalf("-h: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{},
		{"--dir", t.TempDir()},
		{"--dsn", "root@tcp(127.0.0.1:1)/", "extra"},
		{"--dsn", "root@tcp(127.0.0.1:1)/", "--dir", "/nonexistent/dir"},
		{"--dsn", "not a dsn"},
		{"--dsn", "root@tcp(127.0.0.1:1)/"}, // unreachable
	} {
		code, out, stderr := runTool(args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(stderr, "binlogcheck: ") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and one line", args, code, out, stderr)
		}
	}
}
