package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEncrypted: the rollback binlog of the encrypted recordings, read with
// their key, is byte for byte the rollback of the server's plaintext stream
// of them; without the key flashback exits 1 naming the key and the flag.
func TestEncrypted(t *testing.T) {
	const dir = "../../testdata/encrypted"
	for _, v := range []struct{ variant, keyFile, secret string }{
		{"enc-cbc", "keys.txt", ""},
		{"enc-filekey", "keys-filekey.enc", "binlogkit-test-secret"},
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "mariadb-10_11-"+v.variant+".00000?"))
		if len(files) != 4 {
			t.Fatalf("recorded files: %v", files)
		}
		var streams []string
		for _, f := range files {
			streams = append(streams, f+".stream")
		}
		tmp := t.TempDir()
		var errb bytes.Buffer
		want := filepath.Join(tmp, "want.bin")
		if code := run(context.Background(), append([]string{"--out", want, "--skip-unsafe"}, streams...), &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		got := filepath.Join(tmp, "got.bin")
		args := []string{"--out", got, "--skip-unsafe", "--key-file", filepath.Join(dir, v.keyFile)}
		if v.secret != "" {
			args = append(args, "--key-file-key", v.secret)
		}
		errb.Reset()
		if code := run(context.Background(), append(args, files...), &errb); code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
		if !strings.Contains(errb.String(), "rollback transaction(s)") {
			t.Errorf("summary: %s", errb.String())
		}
		a, _ := os.ReadFile(want)
		b, _ := os.ReadFile(got)
		if len(a) < 1000 || !bytes.Equal(a, b) {
			t.Errorf("%s: rollback of %d bytes from the encrypted files, %d from the stream; they differ", v.variant, len(b), len(a))
		}
		errb.Reset()
		if code := run(context.Background(), append([]string{"--out", filepath.Join(tmp, "x.bin")}, files...), &errb); code != 1 ||
			!strings.Contains(errb.String(), "which was not given") || !strings.Contains(errb.String(), "--key-file") {
			t.Errorf("without the key: exit %d, %s", code, errb.String())
		}
	}
}

// TestEncryptedMySQL: the rollback binlog of the recorded MySQL 9.7
// encrypted files (--keyring) is the rollback of the server's stream.
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
	tmp := t.TempDir()
	var errb bytes.Buffer
	want, got := filepath.Join(tmp, "want.bin"), filepath.Join(tmp, "got.bin")
	if code := run(context.Background(), append([]string{"--out", want, "--skip-unsafe"}, streams...), &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if code := run(context.Background(), append([]string{"--out", got, "--skip-unsafe", "--keyring", dir + "/mysql-9_7-keyring.json"}, files...), &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	a, _ := os.ReadFile(want)
	b, _ := os.ReadFile(got)
	if len(a) < 500 || !bytes.Equal(a, b) {
		t.Errorf("rollback of %d bytes from the encrypted files, %d from the stream; they differ", len(b), len(a))
	}
}
