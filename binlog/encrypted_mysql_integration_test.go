//go:build integration

package binlog

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// TestIntegrationMySQLEncrypted: a private MySQL 9.7 with
// binlog_encryption=ON and component_keyring_file writes encrypted binlogs
// (testdata/encrypted-mysql.sql); each of them, decrypted with the keyring,
// is byte for byte the server's plaintext stream of it
// (`mysqlbinlog --read-from-remote-server --raw`), events and positions
// alike; a wrong key is refused. With BINLOGKIT_RECORD=1 the files, their
// streams and the keyring are kept as testdata/encrypted/mysql-9_7-enc.*,
// which TestDecryptRecordedMySQL reads without a server.
func TestIntegrationMySQLEncrypted(t *testing.T) {
	keyring := filepath.Join(t.TempDir(), "keyring.json")
	s := mysqltest.Start(t, mysqltest.WithKeyring(keyring), mysqltest.WithArgs("--binlog-encryption=ON"))
	if on := s.Query(t, "SELECT @@binlog_encryption"); on != "1" {
		t.Fatalf("binlog_encryption = %s", on)
	}
	workload, err := os.ReadFile("../testdata/encrypted-mysql.sql")
	if err != nil {
		t.Fatal(err)
	}
	for i, part := range strings.Split(string(workload), "-- @flush\n") {
		if i > 0 {
			s.FlushLogs(t)
		}
		s.Exec(t, part)
	}
	s.FlushLogs(t)
	files := s.BinlogFiles(t)
	files = files[:len(files)-1] // the current file is still written
	var keys Keys
	if err := keys.ReadMySQLKeyring(keyring); err != nil {
		t.Fatal(err)
	}
	streamDir := t.TempDir()
	for _, f := range files {
		name := filepath.Base(f)
		if out, err := s.Client("mysqlbinlog", "--read-from-remote-server", "--raw", "--result-file="+streamDir+"/", name).CombinedOutput(); err != nil {
			t.Fatalf("mysqlbinlog --raw %s: %v: %s", name, err, out)
		}
		enc, _ := os.ReadFile(f)
		stream, err := os.ReadFile(filepath.Join(streamDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(enc, mysqlEncMagic) {
			t.Fatalf("%s is not encrypted", name)
		}
		src, err := OpenFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.SetKeys(&keys)
		got, err := rawEvents(t, src)
		src.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got, stream) {
			t.Fatalf("%s: decrypted %d bytes, the server's stream %d; first difference at %d", name, len(got), len(stream), byteDiff(got, stream))
		}
		if os.Getenv("BINLOGKIT_RECORD") != "" {
			dst := filepath.Join("../testdata/encrypted", strings.Replace(name, "binlog", "mysql-9_7-enc", 1))
			if err := os.WriteFile(dst, enc, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(dst+".stream", stream, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if os.Getenv("BINLOGKIT_RECORD") != "" {
		k, _ := os.ReadFile(keyring)
		if err := os.WriteFile("../testdata/encrypted/mysql-9_7-keyring.json", k, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Every event decodes, rows and payloads included, at the server's
	// positions.
	r := NewReader(OpenFiles(files...), WithKeys(&keys))
	rows, payloads := 0, 0
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if !ev.InPayload && uint64(ev.Header.LogPos) != ev.NextPos {
			t.Errorf("%s:%d: end_log_pos %d, next %d", ev.File, ev.Pos, ev.Header.LogPos, ev.NextPos)
		}
		switch ev.Body.(type) {
		case *event.Rows:
			rows++
		case *event.TransactionPayload:
			payloads++
		}
	}
	if rows < 8 || payloads < 2 || r.Undecoded() != 0 {
		t.Errorf("%d rows events, %d payloads, %d undecoded", rows, payloads, r.Undecoded())
	}

	// A wrong key.
	src, _ := OpenFile(files[0])
	src.SetKeys(&Keys{MySQLDefault: bytes.Repeat([]byte{1}, 32)})
	_, err = src.ReadEvent(context.Background())
	src.Close()
	var ke *KeyError
	if !errors.As(err, &ke) || !errors.Is(err, ErrWrongKey) || !strings.HasPrefix(ke.Key.MySQL, "MySQLReplicationKey_") {
		t.Errorf("wrong key: %v", err)
	}
}
