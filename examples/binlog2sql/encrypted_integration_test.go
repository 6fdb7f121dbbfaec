//go:build integration

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

// TestIntegrationEncryptedUndo is the journey of a DBA whose server runs
// with encrypt_binlog=ON: a mistaken DELETE and UPDATE are undone with
// binlog2sql --flashback on the server's encrypted binlog (read with the
// key file), and every table's CHECKSUM is what it was before; the forward
// SQL of all the encrypted files rebuilds the same tables in a second
// server.
func TestIntegrationEncryptedUndo(t *testing.T) {
	keys, err := filepath.Abs(filepath.Join(encDir, "keys.txt"))
	if err != nil {
		t.Fatal(err)
	}
	s := mariadbtest.Start(t, mariadbtest.WithArgs("--plugin-load-add=file_key_management",
		"--file-key-management-filename="+keys, "--file-key-management-encryption-algorithm=AES_CTR", "--encrypt-binlog=ON"))
	s.Exec(t, `CREATE DATABASE shop;
CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), note TEXT, placed DATETIME(3));
CREATE TABLE shop.log (who VARCHAR(20), what VARCHAR(200));
INSERT INTO shop.orders SELECT seq, CONCAT('c', seq), seq * 1.25, REPEAT('n', seq % 50), '2026-01-02 03:04:05.678' FROM shop.seq_1_to_500;
INSERT INTO shop.log VALUES ('a', 'one'), ('a', 'one'), ('b', 'two')`)
	checksum := func(s *mariadbtest.Server) string {
		return s.Query(t, "CHECKSUM TABLE shop.orders, shop.log EXTENDED")
	}
	before := checksum(s)
	s.FlushLogs(t)
	// The mistake, in a file of its own.
	s.Exec(t, "DELETE FROM shop.orders WHERE id % 7 = 0; UPDATE shop.orders SET amount = 0, note = NULL WHERE id < 100; DELETE FROM shop.log WHERE who = 'a' LIMIT 1")
	s.FlushLogs(t)
	files := s.BinlogFiles(t)
	mistake := files[len(files)-2]
	if checksum(s) == before {
		t.Fatal("the mistake changed nothing")
	}
	undo, stderr, code := runTool(t, "--flashback", "--key-file", keys, mistake)
	if code != 0 {
		t.Fatalf("--flashback: exit %d: %s", code, stderr)
	}
	s.Exec(t, undo)
	if got := checksum(s); got != before {
		t.Fatalf("after the rollback SQL:\n%s\nbefore the mistake:\n%s", got, before)
	}

	// Forward: every encrypted file into an empty server.
	redo, stderr, code := runTool(t, append([]string{"--ddl", "--key-file", keys}, files...)...)
	if code != 0 {
		t.Fatalf("forward: exit %d: %s", code, stderr)
	}
	copySrv := mariadbtest.Start(t)
	copySrv.Exec(t, redo)
	if got, want := checksum(copySrv), checksum(s); got != want {
		t.Fatalf("replayed copy:\n%s\nserver:\n%s", got, want)
	}
}

// TestIntegrationMySQLEncryptedUndo is the same journey on MySQL 9.7 with
// binlog_encryption=ON (component_keyring_file): the rollback SQL of the
// encrypted binlog, read with --keyring and the table's definition from
// the server (--schema-dsn), restores every CHECKSUM.
func TestIntegrationMySQLEncryptedUndo(t *testing.T) {
	keyring := filepath.Join(t.TempDir(), "keyring.json")
	s := mysqltest.Start(t, mysqltest.WithKeyring(keyring), mysqltest.WithArgs("--binlog-encryption=ON"))
	s.Exec(t, `CREATE DATABASE shop;
CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), note TEXT, doc JSON);
INSERT INTO shop.orders WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
  SELECT i, CONCAT('c', i), i * 1.25, REPEAT('n', i % 50), JSON_OBJECT('i', i) FROM n`)
	checksum := func() string { return s.Query(t, "CHECKSUM TABLE shop.orders EXTENDED") }
	before := checksum()
	s.FlushLogs(t)
	s.Exec(t, "DELETE FROM shop.orders WHERE id % 7 = 0; UPDATE shop.orders SET amount = 0, note = NULL, doc = '[]' WHERE id < 100")
	s.FlushLogs(t)
	files := s.BinlogFiles(t)
	if checksum() == before {
		t.Fatal("the mistake changed nothing")
	}
	// MySQL's binlogs do not say which columns are generated: without the
	// table's definition nothing is written; the server gives it.
	if out, stderr, code := runTool(t, "--flashback", "--keyring", keyring, files[len(files)-2]); code != 1 || out != "" || !strings.Contains(stderr, "--schema-dsn") {
		t.Errorf("--flashback without a definition: exit %d, %d bytes: %s", code, len(out), stderr)
	}
	undo, stderr, code := runTool(t, "--flashback", "--keyring", keyring, "--schema-dsn", s.DSN(), files[len(files)-2])
	if code != 0 {
		t.Fatalf("--flashback: exit %d: %s", code, stderr)
	}
	s.Exec(t, undo)
	if got := checksum(); got != before {
		t.Fatalf("after the rollback SQL:\n%s\nbefore the mistake:\n%s", got, before)
	}
	if _, stderr, code := runTool(t, files[len(files)-2]); code != 1 || !strings.Contains(stderr, "--keyring") {
		t.Errorf("without the keyring: exit %d, %s", code, stderr)
	}
}
