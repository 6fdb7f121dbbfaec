package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// encDir holds the project's encrypted MariaDB recordings and their
// test-only keys (testdata/record.sh, variants enc-*).
const encDir = "../../testdata/encrypted"

func encFiles(t *testing.T, variant string) (files, streams []string) {
	t.Helper()
	files, _ = filepath.Glob(filepath.Join(encDir, "mariadb-10_11-"+variant+".00000?"))
	if len(files) != 4 {
		t.Fatalf("recorded %s files: %v", variant, files)
	}
	for _, f := range files {
		streams = append(streams, f+".stream")
	}
	return files, streams
}

// TestEncrypted: binlog2sql on the encrypted recordings, with their key,
// writes what it writes for the server's plaintext stream of them: forward
// SQL (one goroutine and several) and --flashback SQL; without the key it
// stops with the key and the flag named.
func TestEncrypted(t *testing.T) {
	keys := filepath.Join(encDir, "keys.txt")
	for _, v := range []string{"enc-cbc", "enc-ctr", "enc-nocrc"} {
		files, streams := encFiles(t, v)
		for _, flags := range [][]string{{"--ddl"}, {"--workers", "2"}, {"--flashback", "--skip-unsafe"}} {
			want, stderr, code := runTool(t, append(flags, streams...)...)
			if code != 0 {
				t.Fatalf("%s %v on the stream: exit %d: %s", v, flags, code, stderr)
			}
			got, stderr, code := runTool(t, append(append(flags, "--key-file", keys), files...)...)
			if code != 0 {
				t.Fatalf("%s %v: exit %d: %s", v, flags, code, stderr)
			}
			want = strings.ReplaceAll(want, ".stream", "")
			if got != want {
				t.Errorf("%s %v: the SQL of the encrypted files differs from that of the server's stream", v, flags)
			}
			if n := strings.Count(got, "DELETE FROM") + strings.Count(got, "INSERT INTO") + strings.Count(got, "UPDATE "); n < 50 {
				t.Errorf("%s %v: only %d statements", v, flags, n)
			}
		}
		for _, flags := range [][]string{nil, {"--workers", "2"}, {"--flashback"}} {
			_, stderr, code := runTool(t, append(flags, files...)...)
			if code != 1 || !strings.Contains(stderr, "at byte 296") && !strings.Contains(stderr, "at byte 292") ||
				!strings.Contains(stderr, "MariaDB key 1 (version 1), which was not given") || !strings.Contains(stderr, "--key-file FILE") {
				t.Errorf("%s %v without the key: exit %d, %s", v, flags, code, stderr)
			}
		}
	}
}

// TestEncryptedMySQL: binlog2sql --keyring on the recorded MySQL 9.7
// encrypted files writes the SQL of the server's plaintext stream of them.
func TestEncryptedMySQL(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(encDir, "mysql-9_7-enc.00000?"))
	if len(files) < 2 {
		t.Fatalf("recorded MySQL files: %v", files)
	}
	var streams []string
	for _, f := range files {
		streams = append(streams, f+".stream")
	}
	keyring := filepath.Join(encDir, "mysql-9_7-keyring.json")
	for _, flags := range [][]string{{"--ddl"}, {"--workers", "2"}, {"--flashback", "--skip-unsafe"}} {
		want, stderr, code := runTool(t, append(flags, streams...)...)
		if code != 0 {
			t.Fatalf("%v on the stream: exit %d: %s", flags, code, stderr)
		}
		got, stderr, code := runTool(t, append(append(flags, "--keyring", keyring), files...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", flags, code, stderr)
		}
		if got != strings.ReplaceAll(want, ".stream", "") || strings.Count(got, "UPDATE ") < 10 {
			t.Errorf("%v: the SQL of the encrypted files differs from that of the server's stream", flags)
		}
	}
	if _, stderr, code := runTool(t, files...); code != 1 || !strings.Contains(stderr, "MySQL keyring key") || !strings.Contains(stderr, "--keyring") {
		t.Errorf("without the key: exit %d, %s", code, stderr)
	}
}
