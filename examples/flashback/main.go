// Command flashback writes a rollback binlog: the inverse of every committed
// row change of the input binlogs, last transaction first, rows in reverse,
// one rollback transaction per original. Replay it with
//
//	mariadb-binlog ROLLBACK | mariadb        (MariaDB)
//	mysqlbinlog ROLLBACK | mysql             (MySQL, gtid_mode ON or OFF)
//
// (the summary ends with the command for the files written).
// Usage:
//
//	flashback --out FILE [flags] BINLOG...
//
// The selection flags (--start-position, --start-file, --start-datetime,
// --tz, --databases, --tables, --sql-type, --include-gtids, …) are those of
// every binlogkit tool; times are in the local zone unless --tz says
// otherwise. A range that keeps nothing says why on stderr and writes no
// rollback.
//
// The input is read once; the rollback is staged in a spill file (--tmpdir)
// so memory stays within --memory-budget whatever the input's size. A
// summary (transactions, rows per table and kind, skipped transactions) goes
// to stderr. Exit status: 0 on success, 1 on a bad or unsafe input, 2 on
// bad usage.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/flashback"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

// usageOut is where -h prints the usage (standard output, as in every
// tool; tests replace it).
var usageOut io.Writer = os.Stdout

// config holds the parsed command line.
type config struct {
	sel        cli.Selection
	out        string
	maxSize    int64
	skipUnsafe bool
	oneTx      bool
	chunkRows  int
	tmpDir     string
	budget     int64
	files      []string
	keys       cli.Keys
	// --schema, --schema-dsn: table definitions.
	schemaFile, schemaDSN string
}

const usageHead = `Usage: flashback --out FILE [flags] BINLOG...

Writes a rollback binlog: the inverse of every committed row change of the
input binlogs (INSERT<->DELETE, UPDATE images swapped), last transaction
first and rows in reverse, one rollback transaction per original. Replay it
with "mariadb-binlog FILE | mariadb" (or "mysqlbinlog FILE | mysql", on a
server with gtid_mode ON or OFF: each rollback transaction gets the
target's own GTID); the summary ends with the exact command. DDL,
statement-format changes and MINIMAL images cannot be undone: flashback stops
at them, or with --skip-unsafe leaves them out and lists them. MySQL's
partial JSON updates (PARTIAL_UPDATE_ROWS) are undone from the full before
image and the diffs. Compressed
(gzip, xz, lz4, zstd) and encrypted binlogs are read directly, the latter with
their keys (--key-file for MariaDB, --keyring or --keyring-key for MySQL). A
directory is a backup kept by binlogbackup; --start-position applies to the
first file, --stop-position to the last.

` + cli.SelectionHelp + `Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  flashback --out rollback.bin --start-datetime '2026-11-21 10:29:00' --stop-datetime '2026-11-21 10:31:00' mysql-bin.000042
  flashback --out rollback.bin --tables shop.orders --sql-type DELETE --start-position 4 --stop-position 98765 mysql-bin.000042
  flashback --out rollback.bin --start-file mysql-bin.000041 --start-position 1234 --stop-file mysql-bin.000042 /backup/db1
  flashback --out rollback.bin --exclude-gtids 0-1-1500..1510 --skip-unsafe mariadb-bin.000007
  flashback --out rollback.bin --tz +08:00 --start-datetime '2026-11-21 18:29:00' mysql-bin.000042
  flashback --out rb --max-file-size 100000000 --memory-budget 64 --tmpdir /var/tmp mysql-bin.000041 mysql-bin.000042
  flashback --out rollback.bin --key-file /etc/mysql/keys.txt mariadb-bin.000042   # encrypt_binlog=ON
  flashback --out rollback.bin --schema schema.sql --start-position 4 mariadb-bin.000007   # TIME(n)/DATETIME(n) of MariaDB's older formats
  mariadb-binlog rollback.bin | mariadb     # apply it

Exit status: 0 on success, 1 on a bad or unsafe input, 2 on bad usage.
`

// newFlagSet declares every flag into c.
func newFlagSet(c *config) *flag.FlagSet {
	fs := flag.NewFlagSet("flashback", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&c.out, "out", "", "write the rollback binlog to this `file` (further files FILE.000002 … with --max-file-size)")
	fs.Int64Var(&c.maxSize, "max-file-size", 0, "start a new rollback file (between transactions) once one reaches `bytes` (0: one file)")
	c.sel.Register(fs, cli.SQLType)
	fs.BoolVar(&c.skipUnsafe, "skip-unsafe", false, "leave out (and list) transactions that cannot be undone instead of stopping")
	fs.BoolVar(&c.oneTx, "one-transaction", false, "the whole rollback in one transaction")
	fs.IntVar(&c.chunkRows, "chunk-rows", 0, "commit every `n` rows instead of once per original transaction")
	fs.StringVar(&c.tmpDir, "tmpdir", "", "`dir` for the spill file (default: the system temp dir)")
	fs.Int64Var(&c.budget, "memory-budget", 256, "memory budget in `MB`")
	fs.StringVar(&c.schemaFile, "schema", "", cli.SchemaUsage)
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", cli.SchemaDSNUsage)
	c.keys.Register(fs)
	return fs
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	files, err := cli.ParseFlags(newFlagSet(c), args)
	if err != nil {
		return nil, err
	}
	c.files = files
	if c.out == "" || len(files) == 0 {
		return nil, cli.Usagef("want --out FILE and at least one BINLOG")
	}
	if c.budget <= 0 || c.maxSize < 0 || c.chunkRows < 0 {
		return nil, cli.Usagef("--memory-budget and --max-file-size want positive numbers")
	}
	if err := c.sel.Parse(len(files)); err != nil {
		return nil, err
	}
	return c, nil
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	c, err := parseArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		cli.PrintUsage(usageOut, usageHead, newFlagSet(&config{}), usageTail)
		return 0
	}
	usage := func(err error) int {
		fmt.Fprintln(stderr, cli.UsageLine("flashback", err))
		return 2
	}
	if err != nil {
		return usage(err)
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, failureLine(err))
		return 1
	}
	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage(err)
		}
		return fail(err)
	}
	// Table definitions, for the precisions of MariaDB's older temporal
	// formats: --schema, --schema-dsn, or the stream's DDL.
	sch, err := cli.OpenSchema(ctx, c.schemaFile, c.schemaDSN, nil)
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage(err)
		}
		return fail(err)
	}
	defer sch.Close()
	fb, err := flashback.New(flashback.Options{TempDir: c.tmpDir, MemoryBudget: c.budget << 20, SkipUnsafe: c.skipUnsafe, Tables: c.sel.TableFilter(),
		Precision: sch.SetPrecision})
	if err != nil {
		return fail(err)
	}
	defer fb.Close()
	src, closeSrc, err := c.sel.Open(c.files, os.Stdin)
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage(err)
		}
		return fail(err)
	}
	c.keys.Apply(src)
	defer closeSrc()
	filter := cli.TrackDDL(sch.Provider(), c.sel.Filter(c.sel.RowKindFilter()))
	if err := fb.Add(ctx, binlog.NewReader(src, binlog.WithFilters(filter))); err != nil {
		return fail(err)
	}
	if err := c.sel.Err(); err != nil {
		return fail(err)
	}
	if fb.Summary().Transactions == 0 {
		fb.Summary().Write(stderr)
		c.sel.WriteWarnings(stderr, "flashback: warning: ")
		fmt.Fprintf(stderr, "flashback: nothing to undo in the range: no rollback binlog written\n")
		return 1
	}
	names, err := fb.WriteBinlogOpts(c.out, flashback.BinlogOptions{MaxFileSize: c.maxSize, OneTransaction: c.oneTx, ChunkRows: c.chunkRows})
	if err != nil {
		return fail(err)
	}
	// Read what was written back before announcing it.
	check := binlog.OpenFiles(names...)
	err = fb.CheckBinlog(ctx, check)
	check.Close()
	if err != nil {
		return fail(err)
	}
	fb.Summary().Write(stderr)
	c.sel.WriteWarnings(stderr, "flashback: warning: ")
	fmt.Fprintf(stderr, "flashback: wrote %s (read back: every rows event has its Table_map, the rows match the summary)\n", strings.Join(names, " "))
	fmt.Fprintf(stderr, "flashback: apply it with: %s\n", applyCommand(fb.Format().Flavor(), names))
	return 0
}

// applyCommand is the shell command that applies the rollback files to a
// server of the source's flavor. A MySQL rollback sets GTID_NEXT to
// AUTOMATIC before each transaction, so the same command applies it on a
// server with gtid_mode ON (each transaction gets a new GTID) or OFF.
func applyCommand(flavor event.Flavor, names []string) string {
	dump, client := "mysqlbinlog", "mysql"
	if flavor == event.MariaDB {
		dump, client = "mariadb-binlog", "mariadb"
	}
	var b strings.Builder
	b.WriteString(dump)
	for _, n := range names {
		b.WriteByte(' ')
		b.WriteString(shellQuote(n))
	}
	b.WriteString(" | ")
	b.WriteString(client)
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// letters, digits and -_./+,:@%=.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+,:@%=") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// failureLine is the one line an error is reported with: the library's own
// "flashback:" prefix once, the flag that gives a missing key, and, for a
// change that cannot be undone, the way past it.
func failureLine(err error) string {
	msg := strings.ReplaceAll(cli.KeyHint(err).Error(), "\n", " ")
	if !strings.HasPrefix(msg, "flashback:") {
		msg = "flashback: " + msg
	}
	if errors.Is(err, flashback.ErrUnsafe) {
		msg += " (--skip-unsafe leaves such transactions out of the rollback and lists them)"
	}
	return msg
}
