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
	// With --flashback, filters read on one goroutine and write the SQL on
	// --workers.
	want, _, _ := runTool(t, "--flashback", "--workers", "1", "--start-position", "598")
	if got, errs, code := runTool(t, "--flashback", "--workers", "2", "--start-position", "598"); code != exitOK || got != want || len(got) < 100 {
		t.Errorf("--flashback --workers 2 --start-position 598: exit %d, %q, output same %v", code, errs, got == want)
	}
	for _, args := range [][]string{{"--workers", "2", "--tables", "ints"}, {"--workers", "2", "--mask", "rules.yaml"}, {"--workers", "-1"}} {
		_, errs, code := runTool(t, args...)
		if code != exitUsage || !strings.Contains(errs, "--workers") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
}

// TestFlashbackWorkers checks that --flashback inverts on several
// goroutines (by default, or with --workers) exactly what it inverts on
// one: the same rollback SQL, summary, errors and exit status, on the
// recorded binlogs (the hires pair follows DDL that changes the precisions
// of MariaDB's older temporal formats) and the shared corpus's files.
func TestFlashbackWorkers(t *testing.T) {
	var inputs [][]string
	for _, v := range []string{"full", "minimal", "hires"} {
		files, _ := filepath.Glob("../../testdata/recorded/mariadb-10_11-" + v + ".00000?")
		if len(files) == 0 {
			t.Fatal("no recorded binlogs")
		}
		inputs = append(inputs, files)
	}
	if ents, err := os.ReadDir("../../../shared/testdata/binlogs"); err == nil {
		for _, e := range ents {
			if n := e.Name(); !e.IsDir() && n != "README.md" && n != "SHA256SUMS" {
				inputs = append(inputs, []string{filepath.Join("../../../shared/testdata/binlogs", n)})
			}
		}
	} else {
		t.Logf("shared corpus absent: only the recorded binlogs are compared")
	}
	undone := 0
	for _, files := range inputs {
		for _, flags := range [][]string{{"--flashback", "--skip-unsafe"}, {"--flashback"}, {"--flashback", "--skip-unsafe", "--sql-type", "DELETE", "--no-comments"}} {
			args := append(flags, files...)
			want, wantErr, wantCode := runTool(t, append([]string{"--workers", "1"}, args...)...)
			if wantCode == exitOK {
				undone++
			}
			for _, n := range []string{"", "2", "4"} {
				a := args
				if n != "" {
					a = append([]string{"--workers", n}, args...)
				}
				got, gotErr, code := runTool(t, a...)
				if code != wantCode || got != want || gotErr != wantErr {
					t.Errorf("%v --workers %q: exit %d (want %d), output same %v (%d bytes, want %d), stderr\n%s\nwant\n%s",
						args, n, code, wantCode, got == want, len(got), len(want), gotErr, wantErr)
				}
			}
		}
	}
	if undone < 3 {
		t.Errorf("only %d runs undid something", undone)
	}
}
