package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestEncrypted: binlogstat's report on the encrypted recordings, read with
// their key (MariaDB AES-CBC, AES-CTR and an encrypted key file), is its
// report on the server's plaintext stream of them; without the key it exits
// 1 naming the key and the flag.
func TestEncrypted(t *testing.T) {
	const dir = "../../testdata/encrypted"
	for _, v := range []struct {
		variant string
		keys    []string
	}{
		{"enc-cbc", []string{"--key-file", dir + "/keys.txt"}},
		{"enc-ctr", []string{"--key-file", dir + "/keys.txt", "--encryption-algorithm", "ctr"}},
		{"enc-filekey", []string{"--key-file", dir + "/keys-filekey.enc", "--key-file-key", "FILE:" + dir + "/filekey.txt"}},
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "mariadb-10_11-"+v.variant+".00000?"))
		if len(files) != 4 {
			t.Fatalf("recorded files: %v", files)
		}
		var streams []string
		for _, f := range files {
			streams = append(streams, f+".stream")
		}
		for _, format := range [][]string{nil, {"--json"}} {
			code, want, stderr := runTool(append(format, streams...), nil)
			if code != 0 {
				t.Fatalf("stream: exit %d: %s", code, stderr)
			}
			code, got, stderr := runTool(append(append(format, v.keys...), files...), nil)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", v.variant, code, stderr)
			}
			// (Columns are padded to the longest file name.)
			if want = strings.ReplaceAll(want, ".stream", ""); squeeze(got) != squeeze(want) {
				t.Errorf("%s %v: the report on the encrypted files differs from the one on the stream", v.variant, format)
			}
			if !strings.Contains(got, "shop") || !strings.Contains(got, "orders") {
				t.Errorf("%s: no shop.orders in\n%s", v.variant, got)
			}
		}
		code, _, stderr := runTool(files, nil)
		if code != 1 || !strings.Contains(stderr, "which was not given") || !strings.Contains(stderr, "--key-file") {
			t.Errorf("without the key: exit %d, %s", code, stderr)
		}
	}
}

// squeeze collapses runs of spaces.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// TestEncryptedMySQL: binlogstat --keyring on the recorded MySQL 9.7
// encrypted files reports what it reports for the server's stream of them.
func TestEncryptedMySQL(t *testing.T) {
	const dir = "../../testdata/encrypted"
	files, _ := filepath.Glob(filepath.Join(dir, "mysql-9_7-enc.00000?"))
	if len(files) < 2 {
		t.Fatalf("recorded MySQL files: %v", files)
	}
	var streams []string
	for _, f := range files {
		streams = append(streams, f+".stream")
	}
	code, want, stderr := runTool(append([]string{"--json"}, streams...), nil)
	if code != 0 {
		t.Fatalf("stream: exit %d: %s", code, stderr)
	}
	code, got, stderr := runTool(append([]string{"--json", "--keyring", dir + "/mysql-9_7-keyring.json"}, files...), nil)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got != strings.ReplaceAll(want, ".stream", "") || !strings.Contains(got, "shop.orders") {
		t.Errorf("the report on the encrypted files differs from the one on the stream:\n%s", got)
	}
}
