// Command binlogcheck says whether a MySQL or MariaDB server is set up so
// that its binary logs serve point-in-time recovery, backup and CDC: each
// finding names the variable, its value, why it matters and the SQL (or
// configuration line) that fixes it.
//
//	binlogcheck --dsn DSN [--dir BACKUPDIR] [--json]
//
// Exit status: 0 when every check passes (warnings allowed), 1 when a check
// fails, 2 on bad usage or when the server cannot be reached.
package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/go-sql-driver/mysql"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usageHead = `Usage: binlogcheck --dsn DSN [--dir BACKUPDIR] [--json]

Checks that a MySQL or MariaDB server's binary logs serve point-in-time
recovery (binlogrestore), backup (binlogbackup), undoing mistakes (binlog2sql
--flashback, flashback) and CDC: log_bin, binlog_format, binlog_row_image,
binlog_row_metadata, binlog_row_value_options, sync_binlog, binlog_checksum,
GTIDs (gtid_mode and enforce_gtid_consistency; MariaDB gtid_strict_mode),
expiry (binlog_expire_logs_seconds / expire_logs_days), max_binlog_size,
binlog encryption, TLS, the accounts holding REPLICATION SLAVE or
REPLICATION CLIENT (host '%', more privileges than replication needs), and,
run on the server's host, binlog files readable by others. With --dir, it
also checks that the server still holds every binlog after the archive's
newest (no purge gap).

Each finding says the variable, its value, why it matters and how to fix it.
The account needs SELECT on mysql.user for the account checks.

Flags:
`

const usageTail = `
Examples:
  binlogcheck --dsn 'root@unix(/run/mysqld/mysqld.sock)/'
  binlogcheck --dsn 'admin:pw@tcp(db1:3306)/' --dir /backup/db1 --json | jq '.findings[] | select(.status != "pass")'

Exit status: 0 when every check passes (warnings allowed), 1 when one fails,
2 on bad usage or an unreachable server.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var dsn, dir string
	var asJSON bool
	fs := flag.NewFlagSet("binlogcheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&dsn, "dsn", "", "the server, as a go-sql-driver/mysql `DSN` (required)")
	fs.StringVar(&dir, "dir", "", "an archive `directory` binlogbackup keeps of this server: check there is no gap after it")
	fs.BoolVar(&asJSON, "json", false, "print the findings as one JSON object")
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "binlogcheck: %s (run binlogcheck -h for usage)\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cli.PrintUsage(stdout, usageHead, fs, usageTail)
			return exitOK
		}
		return usage("%s", err)
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case dsn == "":
		return usage("--dsn is required")
	}
	if dir != "" {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return usage("--dir %s: not a directory", dir)
		}
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return usage("--dsn: %v", err)
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		return usage("--dsn: %v", err)
	}
	defer db.Close()
	srv, err := readServer(ctx, db)
	if err != nil {
		fmt.Fprintf(stderr, "binlogcheck: %v\n", err)
		return exitUsage
	}
	findings := check(ctx, db, srv, dir)
	failed, warned := 0, 0
	for _, f := range findings {
		switch f.Status {
		case statusFail:
			failed++
		case statusWarn:
			warned++
		}
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(struct {
			Server   string    `json:"server"`
			Version  string    `json:"version"`
			Findings []finding `json:"findings"`
			Failed   int       `json:"failed"`
			Warnings int       `json:"warnings"`
		}{srv.host, srv.version, findings, failed, warned})
	} else {
		fmt.Fprintf(stdout, "%s (%s)\n", srv.host, srv.version)
		for _, f := range findings {
			value := f.Value
			if value == "" {
				value = "''"
			}
			fmt.Fprintf(stdout, "%-4s  %s = %s: %s", strings.ToUpper(string(f.Status)), f.Variable, value, f.Why)
			if f.Fix != "" {
				fmt.Fprintf(stdout, "\n      fix: %s", f.Fix)
			}
			fmt.Fprintln(stdout)
		}
		fmt.Fprintf(stdout, "%d checks: %d failed, %d warnings\n", len(findings), failed, warned)
	}
	if failed > 0 {
		return exitFail
	}
	return exitOK
}
