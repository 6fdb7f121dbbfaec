//go:build integration

package main

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestIntegrationEncryptedRollback: on a MariaDB with encrypt_binlog=ON, a
// mistake is undone by the rollback binlog flashback writes from the
// server's encrypted file (read with the key file), replayed with
// `mariadb-binlog ROLLBACK | mariadb`: every CHECKSUM is back to what it
// was.
func TestIntegrationEncryptedRollback(t *testing.T) {
	binlogTool, err := exec.LookPath("mariadb-binlog")
	if err != nil {
		t.Skip("mariadb-binlog is not installed")
	}
	keys, err := filepath.Abs("../../testdata/encrypted/keys.txt")
	if err != nil {
		t.Fatal(err)
	}
	s := mariadbtest.Start(t, mariadbtest.WithArgs("--plugin-load-add=file_key_management",
		"--file-key-management-filename="+keys, "--encrypt-binlog=ON"))
	s.Exec(t, `CREATE DATABASE shop;
CREATE TABLE shop.orders (id INT PRIMARY KEY, customer VARCHAR(40), amount DECIMAL(10,2), note TEXT);
INSERT INTO shop.orders SELECT seq, CONCAT('c', seq), seq * 1.25, REPEAT('n', seq % 50) FROM shop.seq_1_to_300`)
	checksum := func() string { return s.Query(t, "CHECKSUM TABLE shop.orders EXTENDED") }
	before := checksum()
	s.FlushLogs(t)
	s.Exec(t, "DELETE FROM shop.orders WHERE id % 5 = 0; UPDATE shop.orders SET amount = -1, note = 'oops' WHERE id < 50; INSERT INTO shop.orders VALUES (1000, 'x', 1, NULL)")
	s.FlushLogs(t)
	files := s.BinlogFiles(t)
	if checksum() == before {
		t.Fatal("the mistake changed nothing")
	}
	out := filepath.Join(t.TempDir(), "rollback.bin")
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"--out", out, "--key-file", keys, files[len(files)-2]}, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	sql, err := exec.Command(binlogTool, "--no-defaults", out).Output()
	if err != nil {
		t.Fatal(err)
	}
	s.Exec(t, string(sql))
	if got := checksum(); got != before {
		t.Fatalf("after the rollback binlog:\n%s\nbefore the mistake:\n%s", got, before)
	}
}
