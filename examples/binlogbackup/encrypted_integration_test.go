//go:build integration

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestIntegrationBackupEncryptedServer: binlogbackup of a MariaDB with
// encrypt_binlog=ON stores the plaintext stream the server sends (its
// START_ENCRYPTION flagged ignorable); the copy reads back through
// backup.Open like any binlog, without keys, event for event what the
// server's encrypted files give when decrypted with the key.
func TestIntegrationBackupEncryptedServer(t *testing.T) {
	keys, err := filepath.Abs("../../testdata/encrypted/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := mariadbtest.Start(t, mariadbtest.WithArgs("--plugin-load-add=file_key_management",
		"--file-key-management-filename="+keys, "--encrypt-binlog=ON"))
	s.Exec(t, "CREATE DATABASE bk; CREATE TABLE bk.t (id INT PRIMARY KEY, v TEXT, n INT NOT NULL DEFAULT 0)")
	s.Exec(t, workload(0, 30))
	s.FlushLogs(t)
	s.Exec(t, workload(30, 30))
	dir := t.TempDir()
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"--dsn", s.DSN(), "--dir", dir, "--non-blocking"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	read := func(src binlog.Source) [][]byte {
		var evs [][]byte
		for ev, err := range binlog.NewReader(src).Events(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.Type == event.FormatDescriptionEvent {
				continue // the server clears the in-use flag of its current file in what it sends
			}
			evs = append(evs, bytes.Clone(ev.Raw))
		}
		return evs
	}
	archive, err := backup.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := read(archive)
	archive.Close()
	var k binlog.Keys
	if err := k.ReadMariaDBKeyFile(keys, ""); err != nil {
		t.Fatal(err)
	}
	files := binlog.OpenFiles(s.BinlogFiles(t)...)
	files.SetKeys(&k)
	want := read(files)
	files.Close()
	rows := 0
	for i := range min(len(got), len(want)) {
		if !bytes.Equal(got[i], want[i]) {
			t.Fatalf("event %d differs", i)
		}
		if event.Type(got[i][4]).IsRows() {
			rows++
		}
	}
	if len(got) != len(want) || rows < 60 {
		t.Fatalf("%d events in the backup, %d in the decrypted files, %d rows events", len(got), len(want), rows)
	}
}
