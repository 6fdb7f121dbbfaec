package cli

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
)

// TestIdentityOpensEncryptedArchive: a directory argument is read as an
// archive; its age-encrypted files decrypt with --identity (registered by
// Keys, given by Apply), and without it the error names the flag.
func TestIdentityOpensEncryptedArchive(t *testing.T) {
	id, _ := age.GenerateX25519Identity()
	tmp := t.TempDir()
	keyFile := filepath.Join(tmp, "key.txt")
	os.WriteFile(keyFile, []byte("# test\n"+id.String()+"\n"), 0o600)
	data, err := os.ReadFile("../../../testdata/recorded/mariadb-10_11-full.000001")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "archive")
	os.Mkdir(dir, 0o755)
	f, _ := os.Create(filepath.Join(dir, "mariadb-10_11-full.000001.age"))
	w, _ := age.Encrypt(f, id.Recipient())
	w.Write(data)
	w.Close()
	f.Close()

	read := func(args ...string) (int, error) {
		var k Keys
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		k.Register(fs)
		files, err := ParseFlags(fs, append(args, dir))
		if err != nil {
			return 0, err
		}
		if err := k.Load(); err != nil {
			return 0, err
		}
		src, closeSrc := OpenSource(files, nil)
		defer closeSrc()
		k.Apply(src)
		n := 0
		for {
			_, err := src.ReadEvent(context.Background())
			if err == io.EOF {
				return n, nil
			}
			if err != nil {
				return n, KeyHint(err)
			}
			n++
		}
	}
	n, err := read("--identity", keyFile)
	if err != nil || n < 100 {
		t.Fatalf("with --identity: %d events, %v", n, err)
	}
	_, err = read()
	if !errors.Is(err, backup.ErrNoIdentity) || !strings.Contains(err.Error(), "--identity FILE") {
		t.Fatalf("without --identity: %v", err)
	}
	if _, err := read("--identity", filepath.Join(tmp, "missing.txt")); err == nil {
		t.Fatal("a missing identity file was accepted")
	}
}
