package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encDir holds the project's encrypted MariaDB recordings and their
// test-only keys (testdata/record.sh, variants enc-*).
const encDir = "../../testdata/encrypted"

func encFiles(t *testing.T, variant string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(encDir, "mariadb-10_11-"+variant+".00000?"))
	if len(files) != 4 {
		t.Fatalf("recorded %s files: %v", variant, files)
	}
	return files
}

// TestEncryptedRows: `binlogdump -v --key-file` prints every row of the
// encrypted recordings as mariadb-binlog printed them from the server's
// plaintext stream, and everything else as it prints that stream itself.
func TestEncryptedRows(t *testing.T) {
	var golden strings.Builder
	for _, f := range encFiles(t, "enc-cbc") {
		b, err := os.ReadFile(f + ".mariadb-binlog.txt")
		if err != nil {
			t.Fatal(err)
		}
		golden.Write(b)
	}
	want := hashLines(golden.String())
	if len(want) < 200 {
		t.Fatalf("only %d ### lines in the golden text", len(want))
	}
	keys := filepath.Join(encDir, "keys.txt")
	for _, c := range []struct {
		variant string
		args    []string
	}{
		{"enc-cbc", []string{"--key-file", keys}},
		{"enc-cbc", []string{"--key-file", keys, "--encryption-algorithm", "cbc"}},
		{"enc-ctr", []string{"--key-file", keys, "--encryption-algorithm", "ctr"}},
		{"enc-ctr", []string{"--key-file", keys}},
		{"enc-filekey", []string{"--key-file", filepath.Join(encDir, "keys-filekey.enc"), "--key-file-key", "binlogkit-test-secret"}},
		{"enc-nocrc", []string{"--key-file", keys}},
	} {
		files := encFiles(t, c.variant)
		code, out, stderr := dump(t, nil, append(append([]string{"-v"}, c.args...), files...)...)
		checkOK(t, code, stderr)
		got := hashLines(out)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s %v: %d ### lines, mariadb-binlog printed %d (or they differ)", c.variant, c.args, len(got), len(want))
		}
		var streams []string
		for _, f := range files {
			streams = append(streams, f+".stream")
		}
		_, plain, stderr := dump(t, nil, append([]string{"-v"}, streams...)...)
		// The stream copies print under their own names.
		plain = strings.ReplaceAll(plain, ".stream", "")
		if out != plain || stderr != "" {
			t.Errorf("%s %v: the decrypted files print differently from the server's stream of them", c.variant, c.args)
		}
	}
}

// TestEncryptedKeyErrors: without the key, or with a wrong one, binlogdump
// prints the events before the encrypted part and exits 1 with one line
// naming the file, the offset, the key and the flag that gives it; flags
// that make no sense are usage errors.
func TestEncryptedKeyErrors(t *testing.T) {
	file := encFiles(t, "enc-cbc")[0]
	keys := filepath.Join(encDir, "keys.txt")
	wrong := filepath.Join(t.TempDir(), "wrong.txt")
	os.WriteFile(wrong, []byte("1;00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want []string
	}{
		{[]string{file}, 1, []string{file + ": at byte 296", "MariaDB key 1 (version 1), which was not given", "--key-file FILE"}},
		{[]string{"--keyring-key", strings.Repeat("ab", 32), file}, 1, []string{"which was not given", "--key-file"}},
		{[]string{"--key-file", wrong, file}, 1, []string{file + ": at byte 296", "does not decrypt it", "check --key-file"}},
		{[]string{"--key-file", keys, "--encryption-algorithm", "ctr", file}, 1, []string{"does not decrypt it with AES-CTR", "--encryption-algorithm"}},
		{[]string{"--key-file", filepath.Join(encDir, "keys-filekey.enc"), file}, 1, []string{"--key-file", "encrypted: give its file key"}},
		{[]string{"--key-file", filepath.Join(encDir, "keys-filekey.enc"), "--key-file-key", "nope", file}, 1, []string{"wrong file key"}},
		{[]string{"--key-file", filepath.Join(encDir, "missing.txt"), file}, 1, []string{"missing.txt"}},
		{[]string{"--encryption-algorithm", "ofb", "--key-file", keys, file}, 2, []string{"want cbc or ctr"}},
		{[]string{"--key-file-key", "x", file}, 2, []string{"--key-file-key goes with --key-file"}},
		{[]string{"--keyring-key", "abc", file}, 2, []string{"64 hex digits"}},
	} {
		code, out, stderr := dump(t, nil, c.args...)
		if code != c.code || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q", c.args, code, stderr)
		}
		for _, w := range c.want {
			if !strings.Contains(stderr, w) {
				t.Errorf("%v: %q lacks %q", c.args, stderr, w)
			}
		}
		if strings.HasPrefix(c.want[0], file+": at byte 296") {
			// The events before the encrypted part, and nothing else.
			if !strings.Contains(out, "Start_encryption") || strings.Contains(out, "Gtid_list") {
				t.Errorf("%v: printed\n%s", c.args, out)
			}
		}
	}
}

// TestEncryptedMySQL: `binlogdump -v --keyring` (or --keyring-key) on the
// recorded MySQL 9.7 encrypted files prints what it prints for the
// server's plaintext stream of them, rows included; without the key it
// names the keyring key and the flags.
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
	data, _ := os.ReadFile(keyring)
	// The 32-byte key's hex, for --keyring-key.
	i := strings.Index(string(data), `"data":"`) + 8
	rawKey := string(data[i : i+64])
	_, want, _ := dump(t, nil, append([]string{"-v"}, streams...)...)
	want = strings.ReplaceAll(want, ".stream", "")
	if n := len(hashLines(want)); n < 100 {
		t.Fatalf("only %d ### lines in the stream's dump", n)
	}
	for _, keys := range [][]string{{"--keyring", keyring}, {"--keyring-key", rawKey}} {
		code, got, stderr := dump(t, nil, append(append([]string{"-v"}, keys...), files...)...)
		checkOK(t, code, stderr)
		if got != want {
			t.Errorf("%v: the decrypted files print differently from the server's stream", keys)
		}
	}
	code, out, stderr := dump(t, nil, files[0])
	if code != 1 || out != "" || !strings.Contains(stderr, files[0]+": at byte 0: encrypted with MySQL keyring key MySQLReplicationKey_") ||
		!strings.Contains(stderr, "--keyring FILE") {
		t.Errorf("without the key: exit %d, stdout %q, stderr %s", code, out, stderr)
	}
	code, _, stderr = dump(t, nil, "--keyring-key", strings.Repeat("00", 32), files[0])
	if code != 1 || !strings.Contains(stderr, "does not decrypt it") || !strings.Contains(stderr, "check --keyring") {
		t.Errorf("wrong key: exit %d, %s", code, stderr)
	}
}
