//go:build integration

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestIntegrationEncryptedServer: a private MariaDB with encrypt_binlog=ON
// (file_key_management, the project's test-only key file). binlogdump
// --remote prints its rows (the server streams plaintext, its
// START_ENCRYPTION flagged ignorable), and binlogdump --key-file on the
// server's encrypted files prints exactly the same, for each cipher.
func TestIntegrationEncryptedServer(t *testing.T) {
	keys, err := filepath.Abs(filepath.Join(encDir, "keys.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, alg := range []string{"AES_CBC", "AES_CTR"} {
		t.Run(alg, func(t *testing.T) {
			s := mariadbtest.Start(t, mariadbtest.WithArgs("--plugin-load-add=file_key_management",
				"--file-key-management-filename="+keys, "--file-key-management-encryption-algorithm="+alg, "--encrypt-binlog=ON"))
			s.Exec(t, "CREATE DATABASE d; CREATE TABLE d.t (id INT PRIMARY KEY, v VARCHAR(200), j JSON, f DOUBLE)")
			s.Exec(t, "INSERT INTO d.t SELECT seq, REPEAT('x', seq), NULL, seq / 3 FROM d.seq_1_to_150")
			s.FlushLogs(t)
			s.Exec(t, "UPDATE d.t SET v = 'b' WHERE id < 40; DELETE FROM d.t WHERE id > 120; ALTER TABLE d.t ADD COLUMN w INT")
			s.FlushLogs(t)
			s.Exec(t, "INSERT INTO d.t (id, v) VALUES (1000, 'last')")
			files := s.BinlogFiles(t)
			dsn := s.DSN()

			code, remote, stderr := dump(t, nil, "-v", "--remote", dsn)
			checkOK(t, code, stderr)
			rows := 0
			for _, l := range hashLines(remote) {
				if strings.HasPrefix(l, "### INSERT") || strings.HasPrefix(l, "### UPDATE") || strings.HasPrefix(l, "### DELETE") {
					rows++
				}
			}
			if want := 150 + 39 + 30 + 1; rows != want {
				t.Fatalf("--remote printed %d row changes, want %d", rows, want)
			}

			// Without the key: the first file's events up to START_ENCRYPTION.
			code, _, stderr = dump(t, nil, files[0])
			if code != 1 || !strings.Contains(stderr, "MariaDB key 1 (version 1), which was not given") {
				t.Fatalf("without the key: exit %d, %s", code, stderr)
			}

			code, local, stderr := dump(t, nil, append([]string{"-v", "--key-file", keys}, files...)...)
			checkOK(t, code, stderr)
			// The server clears the in-use flag of its current file's
			// FORMAT_DESCRIPTION in what it sends.
			const inUse = "# Warning: this binlog is either in use or was not closed properly.\n"
			local = strings.Replace(local, inUse, "", 1)
			compareLines(t, alg, local, remote)
		})
	}
}
