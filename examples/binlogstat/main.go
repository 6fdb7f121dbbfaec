// Command binlogstat summarises MySQL and MariaDB binary logs: rows and bytes
// per table and per operation, a histogram over time, the largest and the
// longest transactions with their positions and GTIDs, the DDL statements
// seen, event type counts and the files read. It streams: its memory does not
// grow with the size of the input. It is built only on binlogkit's public
// packages event, rowcodec and binlog.
//
// Usage:
//
//	binlogstat [flags] FILE...
//
// FILE "-" reads standard input; several files are read in order; a
// directory is a backup kept by binlogbackup. --json prints one JSON object
// instead of text tables. The selection flags (--start-position,
// --start-file, --start-datetime, --tz, --databases, --tables,
// --include-gtids, …) are those of every binlogkit tool; times are in the
// local zone unless --tz says otherwise, and the report names it. Run `binlogstat -h` for every flag and examples.
//
// Exit status: 0 on success, 1 on a bad input (one line on stderr naming the
// file, the byte offset and the problem), 2 on bad usage.
//
// # JSON output
//
// --json prints one object. Times are RFC 3339 in --tz ("" when unknown),
// sizes in bytes (a file's: the offset just past its last event, which for a
// compressed file is its uncompressed size), lists in a stable order:
//
//	time_zone          the zone of the times and its offset from UTC, "Asia/Shanghai (UTC+08:00)"
//	files              [{name, bytes, events, first_event_time, last_event_time}], in input order
//	                   (events: all events read, kept by the filters or not)
//	events             events kept by the filters
//	transactions       {count, complete, rolled_back, with_xid, rows, bytes, row_bytes,
//	                    statements, ddl, big, long, first_time, last_time}
//	operations         [{operation: insert|update|delete, rows, events, bytes}]
//	tables             [{schema, table, inserts, updates, deletes, rows, bytes, events}],
//	                   by bytes, then rows, descending, then by name
//	top_by_rows, top_by_bytes, longest
//	                   [transaction], greatest first, at most --top
//	big_transactions   {threshold, count, listed: [transaction]} (rows >= --big-rows)
//	long_transactions  {threshold, count, listed: [transaction]} (seconds >= --long-seconds)
//	ddl                {count, listed: [{schema, time, file, pos, gtid, statement, truncated}], more}
//	histogram          {requested_bucket_seconds, bucket_seconds, coarsened,
//	                    buckets: [{start, transactions, rows, bytes}]}, every bucket from the first to the last
//	event_types        [{type, code, count}], by count descending, then name
//
// A transaction is {file, pos, end_file, end_pos, gtid, start_time, end_time,
// duration_seconds, rows, bytes, row_bytes, events, tables, more_tables,
// complete, rolled_back}: pos is its first event's offset in file, end_pos the
// offset just past its last event, gtid "" when it has none.
package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/signal"
	"time"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := runContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitBadInput = 1
	exitUsage    = 2
)

// Bounds that keep the memory independent of the input size.
const (
	maxBuckets  = 400 // histogram buckets before the buckets widen
	maxDDL      = 100 // DDL statements listed; the rest are counted
	maxDDLText  = 200 // bytes of a DDL statement shown
	maxTxTables = 8   // tables named per listed transaction; the rest are counted
	maxTopN     = 10000
	maxTableIDs = 4096 // cached table ids before the cache is cleared between transactions
	defaultTop  = 10   // --top
	defaultBig  = 10000
	defaultLong = 60
)

// run is the whole tool: it parses args, reads the input, prints the report
// to stdout (or to --output) and reports errors to stderr. It returns the
// exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// config holds the parsed command line.
type config struct {
	sel      cli.Selection
	noVerify bool
	json     bool
	quiet    bool
	output   string
	// --schema, --schema-dsn: table definitions.
	schemaFile, schemaDSN string
	files                 []string
	keys                  cli.Keys

	bucket      time.Duration
	top         int
	bigRows     uint64
	longSeconds uint64
}

const usageHead = `Usage: binlogstat [flags] FILE...

Summarises MySQL/MariaDB binary logs: per table and per operation the rows
and bytes, a histogram per time bucket, the biggest transactions (by rows
and by bytes) and the longest ones with file:position and GTID, the
transactions over --big-rows / --long-seconds, the DDL seen, event type
counts and the files read. --json prints the same as one JSON object.

FILE "-" reads standard input; several files are read in order (positions:
--start-position applies to the first file, --stop-position to the last;
--start-file and --stop-file pick files of the list or of a directory).
Gzip, xz, lz4 and zstd compressed files are read directly; encrypted ones
with their keys (--key-file for MariaDB, --keyring or --keyring-key for
MySQL). A directory is a backup kept by binlogbackup, read in order as if it
were the server.

What is counted:
  rows     one per row image: an UPDATE row (before and after image) counts
           once; PARTIAL_UPDATE_ROWS counts as updates.
  bytes    of a table or an operation: the sizes of its rows events as their
           headers give them (header, body, checksum; for an event inside a
           MySQL compressed transaction payload, its uncompressed size).
           TABLE_MAP events are not counted.
  bytes    of a transaction: its events' sizes in the file, from its GTID (or
           BEGIN) to its commit (a compressed payload counts compressed).
  duration of a transaction: last event time minus first event time, whole
           seconds (the server stamps events with the statements' start).
  transaction: a GTID group, a BEGIN…COMMIT group, or a statement logged on
           its own; FORMAT_DESCRIPTION, ROTATE and the like are not.
  DDL      QUERY events whose statement starts with CREATE, ALTER, DROP,
           RENAME or TRUNCATE; the first 100 are listed (200 bytes each),
           the rest counted.

With filters, only the kept events count; a transaction counts when it
kept a rows event or a statement (or, without table or database filters,
when it has a GTID or a BEGIN). --databases and --tables judge statements
(DDL) by the tables they name, else by their default database. A MariaDB
GTID names one transaction: --include-gtids 0-1-100 keeps that one,
0-1-1..100 a hundred.

The histogram counts transactions by their start time. It has at most 400
buckets: when the time span needs more, the buckets widen (to 2m, 10m, 30m,
1h, 2h, 6h, 12h, 1d, ...) until it fits, and the report says so; the text
report folds runs of empty buckets into one line. Top lists, threshold lists
and the DDL list are bounded too: memory does not depend on the input size.
On a terminal, a progress line shows on stderr for inputs over 64 MiB.

` + cli.SelectionHelp + `Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  binlogstat mysql-bin.000042
  binlogstat --bucket 10m --top 20 mysql-bin.0000*
  binlogstat --big-rows 50000 --long-seconds 30 mysql-bin.000042
  binlogstat --start-datetime "2024-05-01 10:00:00" --stop-datetime "2024-05-01 11:00" --tz Europe/Berlin mysql-bin.*
  binlogstat --databases shop --tables 'shop.order*' --exclude-tables shop.order_log mysql-bin.000042
  binlogstat -d shop --start-file binlog.000040 --stop-file binlog.000042 --tz +08:00 /backup/db1
  binlogstat --include-gtids 3e11fa47-71ca-11e1-9e33-c80aa9429562:100-200 mysql-bin.000042
  binlogstat --include-gtids 0-1-100..200 mariadb-bin.000007
  binlogstat --json mariadb-bin.000007 | jq '.tables[] | select(.deletes > 0)'
  zcat mysql-bin.000042.gz | binlogstat -
  binlogstat --key-file /etc/mysql/keys.txt mariadb-bin.000042   # encrypt_binlog=ON
  binlogstat /backup/db1                       # a binlogbackup directory
  binlogstat --schema schema.sql mariadb-bin.000007   # TIME(n)/DATETIME(n) of MariaDB's older formats

Exit status: 0 on success, 1 on a bad input (one line naming the file and the
byte offset), 2 on bad usage.
`

// rawFlags holds flag values that are checked after parsing.
type rawFlags struct {
	bucket string
}

// newFlagSet declares every flag into c and raw.
func newFlagSet(c *config, raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogstat", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.sel.Register(fs, cli.OnlyDML)
	fs.BoolVar(&c.noVerify, "no-verify", false, "do not verify CRC32 checksums")
	fs.StringVar(&raw.bucket, "bucket", "1m", "histogram bucket `width`: whole seconds, as 30s, 1m, 1h")
	fs.IntVar(&c.top, "top", defaultTop, "list the `n` biggest and longest transactions")
	fs.Uint64Var(&c.bigRows, "big-rows", defaultBig, "a transaction of at least `n` rows is big: counted, and the biggest listed (0: none)")
	fs.Uint64Var(&c.longSeconds, "long-seconds", defaultLong, "a transaction lasting at least `n` seconds is long: counted, and the longest listed (0: none)")
	fs.BoolVar(&c.json, "json", false, "print one JSON object instead of text tables (its fields: go doc github.com/binlogkit/binlogkit/examples/binlogstat)")
	fs.StringVar(&c.output, "output", "", "write to `file` instead of standard output")
	cli.Alias(fs, "output", "o")
	fs.StringVar(&c.schemaFile, "schema", "", cli.SchemaUsage)
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", cli.SchemaDSNUsage)
	fs.BoolVar(&c.quiet, "quiet", false, "no progress indicator and no warnings on stderr (errors still go there)")
	c.keys.Register(fs)
	return fs
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	var raw rawFlags
	fs := newFlagSet(c, &raw)
	// Flags may follow file names; "--" ends the flags.
	files, err := cli.ParseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	c.files = files
	if len(c.files) == 0 {
		return nil, cli.Usagef("no FILE given (use - for standard input)")
	}
	if err := c.sel.Parse(len(c.files)); err != nil {
		return nil, err
	}
	if c.bucket, err = time.ParseDuration(raw.bucket); err != nil || c.bucket < time.Second || c.bucket%time.Second != 0 {
		return nil, cli.Usagef("bad --bucket %q: want whole seconds of at least 1s, as 30s, 5m or 1h", raw.bucket)
	}
	if c.top < 1 || c.top > maxTopN {
		return nil, cli.Usagef("--top %d: want 1 to %d", c.top, maxTopN)
	}
	return c, nil
}

// printUsage writes the -h text.
func printUsage(w io.Writer) {
	var raw rawFlags
	cli.PrintUsage(w, usageHead, newFlagSet(&config{}, &raw), usageTail)
}
