// Command flashback writes a rollback binlog: the inverse of every committed
// row change of the input binlogs, last transaction first, rows in reverse,
// one rollback transaction per original. Replay it with
//
//	mariadb-binlog ROLLBACK | mariadb        (MariaDB)
//	mysqlbinlog ROLLBACK | mysql             (MySQL)
//
// Usage:
//
//	flashback --out FILE [flags] BINLOG...
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
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/flashback"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stderr)
	stop()
	os.Exit(code)
}

type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l = append(*l, v)
		}
	}
	return nil
}

func run(ctx context.Context, args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("flashback", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "write the rollback binlog to this `file` (further files FILE.000002 … with --max-file-size)")
	maxSize := fs.Int64("max-file-size", 0, "start a new rollback file (between transactions) once one reaches `bytes` (0: one file)")
	startPos := fs.Uint64("start-position", 0, "start at the event at this byte `offset` of the first file")
	stopPos := fs.Uint64("stop-position", 0, "stop before the event at or after this byte `offset` of the last file")
	startDT := fs.String("start-datetime", "", "keep events at or after this UTC `time` (YYYY-MM-DD HH:MM:SS)")
	stopDT := fs.String("stop-datetime", "", "keep events before this UTC `time`")
	var tables, exclude listFlag
	fs.Var(&tables, "tables", "keep only these db.table `patterns` (comma list)")
	fs.Var(&exclude, "exclude-tables", "drop these db.table `patterns` (comma list)")
	includeGTIDs := fs.String("include-gtids", "", "keep only transactions in this GTID `set`")
	excludeGTIDs := fs.String("exclude-gtids", "", "drop transactions in this GTID `set`")
	skipUnsafe := fs.Bool("skip-unsafe", false, "leave out (and list) transactions that cannot be undone instead of stopping")
	oneTx := fs.Bool("one-transaction", false, "the whole rollback in one transaction")
	chunkRows := fs.Int("chunk-rows", 0, "commit every `n` rows instead of once per original transaction")
	tmpDir := fs.String("tmpdir", "", "`dir` for the spill file (default: the system temp dir)")
	budget := fs.Int64("memory-budget", 256, "memory budget in `MB`")
	schemaFile := fs.String("schema", "", cli.SchemaUsage)
	schemaDSN := fs.String("schema-dsn", "", cli.SchemaDSNUsage)
	var keys cli.Keys
	keys.Register(fs)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: flashback --out FILE [flags] BINLOG...

Writes a rollback binlog: the inverse of every committed row change of the
input binlogs (INSERT<->DELETE, UPDATE images swapped), last transaction
first and rows in reverse, one rollback transaction per original. Replay it
with "mariadb-binlog FILE | mariadb" (or "mysqlbinlog FILE | mysql"). DDL,
statement-format changes and MINIMAL images cannot be undone: flashback stops
at them, or with --skip-unsafe leaves them out and lists them. Compressed
(gzip, xz, lz4, zstd) and encrypted binlogs are read directly, the latter with
their keys (--key-file for MariaDB, --keyring or --keyring-key for MySQL).

Flags:
`)
		fs.PrintDefaults()
		fmt.Fprint(stderr, `
Examples:
  flashback --out rollback.bin --start-datetime '2026-11-21 10:29:00' --stop-datetime '2026-11-21 10:31:00' mysql-bin.000042
  flashback --out rollback.bin --tables shop.orders --start-position 4 --stop-position 98765 mysql-bin.000042
  flashback --out rollback.bin --exclude-gtids 0-1-1500 --skip-unsafe mariadb-bin.000007
  flashback --out rb --max-file-size 100000000 --memory-budget 64 --tmpdir /var/tmp mysql-bin.000041 mysql-bin.000042
  flashback --out rollback.bin --key-file /etc/mysql/keys.txt mariadb-bin.000042   # encrypt_binlog=ON
  flashback --out rollback.bin --schema schema.sql --start-position 4 mariadb-bin.000007   # TIME(n)/DATETIME(n) of MariaDB's older formats
  mariadb-binlog rollback.bin | mariadb     # apply it

Exit status: 0 on success, 1 on a bad or unsafe input, 2 on bad usage.
`)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	files := fs.Args()
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "flashback: "+format+" (run flashback -h for usage)\n", a...)
		return 2
	}
	if *out == "" || len(files) == 0 {
		return usage("want --out FILE and at least one BINLOG")
	}
	if *budget <= 0 || *maxSize < 0 || *chunkRows < 0 {
		return usage("--memory-budget and --max-file-size want positive numbers")
	}
	var filters []binlog.Filter
	if *startPos != 0 || *stopPos != 0 {
		pr := &binlog.PositionRange{Start: *startPos, Stop: *stopPos}
		if len(files) > 1 {
			pr.StartFile, pr.StopFile = files[0], files[len(files)-1]
		}
		filters = append(filters, pr)
	}
	if *startDT != "" || *stopDT != "" {
		var tr binlog.TimeRange
		var err error
		if *startDT != "" {
			if tr.Start, err = binlog.ParseDateTime(*startDT, time.UTC); err != nil {
				return usage("bad --start-datetime %q", *startDT)
			}
		}
		if *stopDT != "" {
			if tr.Stop, err = binlog.ParseDateTime(*stopDT, time.UTC); err != nil {
				return usage("bad --stop-datetime %q", *stopDT)
			}
		}
		filters = append(filters, tr)
	}
	var tableFilter *binlog.TableFilter
	if len(tables) > 0 || len(exclude) > 0 {
		tf, err := binlog.NewTableFilter(tables, exclude)
		if err != nil {
			return usage("--tables/--exclude-tables: %v", err)
		}
		filters = append(filters, tf)
		tableFilter = tf
	}
	if *includeGTIDs != "" || *excludeGTIDs != "" {
		gf := &binlog.GTIDFilter{}
		var err error
		if *includeGTIDs != "" {
			if gf.Include, err = binlog.ParseGTIDSet(*includeGTIDs); err != nil {
				return usage("--include-gtids: %v", err)
			}
		}
		if *excludeGTIDs != "" {
			if gf.Exclude, err = binlog.ParseGTIDSet(*excludeGTIDs); err != nil {
				return usage("--exclude-gtids: %v", err)
			}
		}
		filters = append(filters, gf)
	}

	fail := func(err error) int {
		fmt.Fprintln(stderr, failureLine(err))
		return 1
	}
	if err := keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage("%s", err)
		}
		return fail(err)
	}
	// Table definitions, for the precisions of MariaDB's older temporal
	// formats: --schema, --schema-dsn, or the stream's DDL.
	sch, err := cli.OpenSchema(ctx, *schemaFile, *schemaDSN, nil)
	if err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage("%v", err)
		}
		return fail(err)
	}
	defer sch.Close()
	fb, err := flashback.New(flashback.Options{TempDir: *tmpDir, MemoryBudget: *budget << 20, SkipUnsafe: *skipUnsafe, Tables: tableFilter,
		Precision: sch.SetPrecision})
	if err != nil {
		return fail(err)
	}
	defer fb.Close()
	src := binlog.OpenFiles(files...)
	keys.Apply(src)
	defer src.Close()
	var filter binlog.Filter
	if len(filters) > 0 {
		filter = binlog.All(filters...)
	}
	if err := fb.Add(ctx, binlog.NewReader(src, binlog.WithFilters(cli.TrackDDL(sch.Provider(), filter)))); err != nil {
		return fail(err)
	}
	if fb.Summary().Transactions == 0 {
		fb.Summary().Write(stderr)
		fmt.Fprintf(stderr, "flashback: nothing to undo in the range: no rollback binlog written\n")
		return 1
	}
	names, err := fb.WriteBinlogOpts(*out, flashback.BinlogOptions{MaxFileSize: *maxSize, OneTransaction: *oneTx, ChunkRows: *chunkRows})
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
	fmt.Fprintf(stderr, "flashback: wrote %s (read back: every rows event has its Table_map, the rows match the summary)\n", strings.Join(names, " "))
	return 0
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
