package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRemoteUsage(t *testing.T) {
	code, out, _ := dump(t, nil, "-h")
	if code != 0 {
		t.Fatalf("-h: exit %d", code)
	}
	for _, f := range []string{"--remote", "--start-file", "--gtid", "--stop-never", "--server-id", "binlogbackup"} {
		if !strings.Contains(out, f) {
			t.Errorf("usage lacks %s", f)
		}
	}
	for _, args := range [][]string{
		{"--remote", "root@tcp(127.0.0.1:1)/", "file.000001"},
		{"--remote", "root@tcp(127.0.0.1:1)/", "--gtid", "0-1-5", "--start-file", "b.000001"},
		{"--remote", "root@tcp(127.0.0.1:1)/", "--start-position", "120"},
		{"--remote", "root@tcp(127.0.0.1:1)/", "--gtid", "nonsense"},
		{"--stop-never", "x.000001"},
		{"--start-file", "b.000001", "x.000001"},
	} {
		if code, _, stderr := dump(t, nil, args...); code != 2 || !strings.HasPrefix(stderr, "binlogdump: ") {
			t.Errorf("%v: exit %d, stderr %q; want 2", args, code, stderr)
		}
	}
}

// TestBackupDirectory: a binlogbackup directory (compressed files and a
// .partial last file) dumps as the files it holds.
func TestBackupDirectory(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := 1; i <= 3; i++ {
		p := fmt.Sprintf("../../testdata/recorded/mariadb-10_11-full.%06d", i)
		files = append(files, p)
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		stored := filepath.Base(p)
		if i == 3 {
			stored += ".partial"
		}
		if err := os.WriteFile(filepath.Join(dir, stored), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, flags := range [][]string{{"-v"}, {"--json"}} {
		code, want, stderr := dump(t, nil, append(flags, files...)...)
		checkOK(t, code, stderr)
		code, got, stderr := dump(t, nil, append(flags, dir)...)
		checkOK(t, code, stderr)
		// JSON names the server's files; the originals are named by path.
		want = strings.ReplaceAll(want, "../../testdata/recorded/", "")
		if got != want {
			t.Errorf("%v: output of the directory differs from the files' (%d vs %d bytes)", flags, len(got), len(want))
		}
	}
}
