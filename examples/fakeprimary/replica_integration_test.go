//go:build integration

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// TestIntegrationRealReplica points a real MariaDB replica (a private
// mariadbd, CHANGE MASTER TO … START SLAVE) at fakeprimary serving the
// recorded binlogs, and checks that it ends up with the same data as a
// server that applied `mariadb-binlog FILES | mariadb`: CHECKSUM TABLE of
// every table equal.
func TestIntegrationRealReplica(t *testing.T) {
	tool := mariadbBinlog(t)
	files := recorded(t)
	host, port := startFakePrimary(t, files)

	ref := mariadbtest.Start(t, mariadbtest.WithServerID(3))
	script, err := exec.Command(tool, files...).Output()
	if err != nil {
		t.Fatalf("mariadb-binlog: %v", err)
	}
	path := filepath.Join(t.TempDir(), "replay.sql")
	if err := os.WriteFile(path, script, 0o644); err != nil {
		t.Fatal(err)
	}
	ref.ExecFile(t, path)
	const list = `SELECT CONCAT('` + "`" + `', REPLACE(table_schema, '` + "`" + `', '` + "``" + `'), '` + "`.`" + `', REPLACE(table_name, '` + "`" + `', '` + "``" + `'), '` + "`" + `')
		FROM information_schema.tables WHERE table_type = 'BASE TABLE'
		AND table_schema NOT IN ('mysql', 'sys', 'information_schema', 'performance_schema') ORDER BY 1`
	names := ref.Query(t, list)
	tables := strings.Split(names, "\n")
	if len(tables) < 5 {
		t.Fatalf("the replayed workload has only %d tables: %v", len(tables), tables)
	}
	checksums := func(s *mariadbtest.Server) string {
		return s.Query(t, "CHECKSUM TABLE "+strings.Join(tables, ", "))
	}
	want := checksums(ref)

	rep := mariadbtest.Start(t, mariadbtest.WithServerID(2))
	rep.Exec(t, fmt.Sprintf(`CHANGE MASTER TO MASTER_HOST='%s', MASTER_PORT=%s, MASTER_USER='root', MASTER_PASSWORD='s3cret',
		MASTER_LOG_FILE='%s', MASTER_LOG_POS=4, MASTER_USE_GTID=no; START SLAVE`, host, port, filepath.Base(files[0])))
	deadline := time.Now().Add(90 * time.Second)
	for {
		if rep.Query(t, list) == names && checksums(rep) == want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not converge in 90 s; SHOW SLAVE STATUS:\n%s", rep.Query(t, "SHOW SLAVE STATUS"))
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Logf("replica equals the replayed server on %d tables", len(tables))
}
