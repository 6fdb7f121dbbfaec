package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWorkers checks that --workers writes what the sequential run writes,
// errors included, and refuses event filters.
func TestWorkers(t *testing.T) {
	full, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-full.00000?")
	minimal, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-minimal.00000?")
	if len(full) == 0 || len(minimal) == 0 {
		t.Fatal("no recorded binlogs")
	}
	data, err := os.ReadFile(full[0])
	if err != nil {
		t.Fatal(err)
	}
	trunc := filepath.Join(t.TempDir(), "trunc.000001")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	for _, args := range [][]string{
		nil, // the sample
		append([]string{"--ddl"}, full...),
		append([]string{"--ddl", "--batch", "3", "--rewrite-db", "binlogkit:copy"}, minimal...),
		append([]string{"--full-columns", "--no-comments", "--sql-type", "UPDATE"}, full...),
		{trunc},
	} {
		want, wantErr, wantCode := runTool(t, args...)
		for _, n := range []string{"2", "4"} {
			got, gotErr, code := runTool(t, append([]string{"--workers", n}, args...)...)
			if code != wantCode || got != want || gotErr != wantErr {
				t.Errorf("%v --workers %s: exit %d (want %d), output same %v (%d bytes, want %d), stderr %q (want %q)",
					args, n, code, wantCode, got == want, len(got), len(want), gotErr, wantErr)
			}
		}
		if len(want) < 100 {
			t.Errorf("%v: only %d bytes of SQL", args, len(want))
		}
	}
	for _, args := range [][]string{{"--workers", "2", "--tables", "ints"}, {"--workers", "2", "--flashback"}, {"--workers", "2", "--mask", "rules.yaml"}, {"--workers", "0"}} {
		_, errs, code := runTool(t, args...)
		if code != exitUsage || !strings.Contains(errs, "--workers") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}
