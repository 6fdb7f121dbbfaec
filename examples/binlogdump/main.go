// Command binlogdump prints the events of MySQL and MariaDB binary logs, in
// the layout of `mysqlbinlog -vv --base64-output=decode-rows` or as one JSON
// object per line. It is built only on binlogkit's public packages event and
// binlog.
//
// Usage:
//
//	binlogdump [flags] FILE...
//	binlogdump --remote DSN [--start-file F --start-position N | --gtid SET] [--stop-never]
//
// FILE "-" reads standard input; several files are read in order, as
// mysqlbinlog does; a directory is a backup kept by binlogbackup, read as if
// it were the server. Without FILE it dumps a small embedded sample binlog.
// The selection flags (--start-position, --start-file, --start-datetime,
// --tz, --databases, --tables, --include-gtids, …) are those of every
// binlogkit tool, with the same aliases and meaning; times are in the local
// zone unless --tz says otherwise, and the first line of the text output
// names it.
// --remote streams from a live server as a replica, as
// `mysqlbinlog --read-from-remote-server` does.
// Files are printed on one goroutine per CPU (at most four, --workers),
// with the output of the sequential run, unless events are selected or
// masked.
// Run `binlogdump -h` for every flag and examples.
//
// Exit status: 0 on success, 1 on a bad input (one line on stderr naming the
// file, the byte offset and the problem), 2 on bad usage.
package main

import (
	"context"
	"flag"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
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

// run is the whole tool: it parses args, dumps the input to stdout (or to
// --output) and reports to stderr. stdin is read when the only FILE is "-".
// It returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runContext(context.Background(), args, stdin, stdout, stderr)
}

// config holds the parsed command line.
type config struct {
	sel      cli.Selection
	types    []event.Type
	noVerify bool
	json     bool
	verbose  bool
	quiet    bool
	workers  int
	output   string
	maskFile string
	// --schema, --schema-dsn: table definitions.
	schemaFile, schemaDSN string
	files                 []string
	keys                  cli.Keys

	// --remote: a live server.
	remote    string
	gtid      string
	stopNever bool
	serverID  uint
}

const usageHead = `Usage: binlogdump [flags] FILE...
       binlogdump --remote DSN [--start-file F --start-position N | --gtid SET] [--stop-never] [flags]

Prints the events of MySQL/MariaDB binary logs like
"mysqlbinlog -vv --base64-output=decode-rows", or as JSON lines.
FILE "-" reads standard input; several files are read in order (positions:
--start-position applies to the first file, --stop-position to the last).
Gzip, xz, lz4 and zstd compressed files are read directly. A directory is a
backup kept by binlogbackup, read in order as if it were the server. Without
FILE, a small embedded sample binlog is dumped. Encrypted binlogs are read
with their keys: --key-file for MariaDB (encrypt_binlog), --keyring or
--keyring-key for MySQL (binlog_encryption).

--remote streams from a live server as a replica (as "mysqlbinlog
--read-from-remote-server" does), from its oldest binlog unless --start-file,
--start-position or --gtid say otherwise, and stops at the end of its last
binlog unless --stop-never is given. DSN is go-sql-driver/mysql syntax:
user:password@tcp(host:port)/ (the user needs REPLICATION SLAVE).

` + cli.SelectionHelp + `Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  binlogdump mysql-bin.000042
  binlogdump --start-position=1234 --stop-position=98765 mysql-bin.000042 mysql-bin.000043
  binlogdump --start-datetime "2024-05-01 10:00:00" --stop-datetime "2024-05-01 11:00" --tz Europe/Berlin mysql-bin.*
  binlogdump --databases shop --tables 'shop.order*' --exclude-tables shop.order_log mysql-bin.000042
  binlogdump -d shop -t orders --start-file binlog.000041 --start-pos 1234 --stop-file binlog.000042 /backup/db1
  binlogdump --type WRITE_ROWS_EVENT,Update_rows,QUERY_EVENT mysql-bin.000042
  binlogdump --include-gtids 3e11fa47-71ca-11e1-9e33-c80aa9429562:100-200 mysql-bin.000042
  binlogdump --exclude-gtids 0-1-1000,0-1-1005..1010 mariadb-bin.000007
  binlogdump --json mysql-bin.000042 | jq 'select(.type == "TABLE_MAP_EVENT")'
  binlogdump -v --mask rules.yaml mysql-bin.000042   # phone numbers, e-mails, passwords… masked
  binlogdump -v --schema schema.sql mariadb-bin.000007   # TIME(n)/DATETIME(n) of MariaDB's older formats
  zcat mysql-bin.000042.gz | binlogdump -o dump.txt -
  binlogdump -v --key-file /etc/mysql/keys.txt mariadb-bin.000042        # encrypt_binlog=ON
  binlogdump --keyring /var/lib/mysql-keyring/keyring.json binlog.000042  # binlog_encryption=ON
  binlogdump /backup/db1                       # a binlogbackup directory
  binlogdump --remote 'repl:secret@tcp(db1:3306)/' --start-file mysql-bin.000042 --start-position 1234
  binlogdump --remote 'repl:secret@tcp(db1:3306)/' --gtid 0-1-1000 --stop-never --json
  binlogdump            # the embedded sample

Exit status: 0 on success, 1 on a bad input (one line naming the file and the
byte offset), 2 on bad usage.
`

// rawFlags holds flag values that are checked after parsing.
type rawFlags struct {
	types []string
}

// newFlagSet declares every flag into c and raw.
func newFlagSet(c *config, raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("binlogdump", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.sel.Register(fs, cli.OnlyDML)
	fs.Var(cli.List(&raw.types), "type", "keep only events of these `types` (WRITE_ROWS_EVENT, Write_rows or a type code); repeatable or comma list")
	fs.BoolVar(&c.noVerify, "no-verify", false, "do not verify CRC32 checksums")
	fs.BoolVar(&c.json, "json", false, "print one JSON object per event per line; rows events carry \"rows\": [{\"before\": [...], \"after\": [...]}] with each value as rowcodec.Value.AppendJSON writes it (null; numbers for integers, FLOAT, DOUBLE, YEAR and BIT; strings for DECIMAL, ISO 8601 dates and times, text in UTF-8, ENUM and SET names; base64 strings for binary values; JSON documents as they are; {\"srid\",\"wkb\"} for GEOMETRY; arrays for VECTOR) and {\"absent\":true} for a column a MINIMAL image left out")
	fs.BoolVar(&c.verbose, "verbose", false, "print row images as mysqlbinlog -vv does for MySQL binlogs and mariadb-binlog -vv for MariaDB's (### INSERT INTO … / ###   @1=… /* INT meta=0 … */); GEOMETRY, which mysqlbinlog cannot print (\"!! Don't know how to handle column type=255\", and nothing more of the rows event), is printed as its bytes (4-byte SRID, then WKB) quoted like a string")
	cli.Alias(fs, "verbose", "v")
	fs.StringVar(&c.output, "output", "", "write to `file` instead of standard output")
	cli.Alias(fs, "output", "o")
	fs.StringVar(&c.remote, "remote", "", "stream from a live server, given as a go-sql-driver/mysql `DSN`, instead of reading files")
	fs.StringVar(&c.gtid, "gtid", "", "with --remote: start after this GTID `set` instead of at a file and position")
	fs.BoolVar(&c.stopNever, "stop-never", false, "with --remote: keep following the server after its last binlog, until interrupted")
	fs.UintVar(&c.serverID, "server-id", 0, "with --remote: replica server `id` to register with (default: a random id)")
	fs.StringVar(&c.maskFile, "mask", "", "mask sensitive values with the rules in this YAML `file` (see package mask): row values, statement literals and user variables are masked before anything is printed")
	fs.StringVar(&c.schemaFile, "schema", "", cli.SchemaUsage)
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", cli.SchemaDSNUsage)
	fs.IntVar(&c.workers, "workers", 0, "print on `n` goroutines (0: one per CPU, at most 4); the output is the same. Runs that select or mask events, or read standard input or a live server, print on one")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress indicator and no warnings on stderr (errors still go there)")
	c.keys.Register(fs)
	return fs
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	var raw rawFlags
	fs := newFlagSet(c, &raw)
	// Flags may follow file names, as with mysqlbinlog; "--" ends the flags.
	files, err := cli.ParseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	c.files = files
	for _, name := range raw.types {
		ts, ok := parseType(name)
		if !ok {
			return nil, cli.Usagef("unknown event type %q for --type (use a name like WRITE_ROWS_EVENT or Write_rows, or a type code)", name)
		}
		c.types = append(c.types, ts...)
	}
	if err := c.sel.Parse(len(c.files)); err != nil {
		return nil, err
	}
	if c.workers < 0 {
		return nil, cli.Usagef("--workers %d: want 0 (one per CPU) or more", c.workers)
	}
	if c.remote != "" {
		c.sel.Remote()
		switch {
		case len(c.files) > 0:
			return nil, cli.Usagef("--remote reads from the server: no FILE arguments")
		case c.gtid != "" && (c.sel.StartFile != "" || c.sel.StartPos != 0):
			return nil, cli.Usagef("--gtid excludes --start-file and --start-position")
		case c.sel.StartPos != 0 && c.sel.StartFile == "":
			return nil, cli.Usagef("--start-position with --remote needs --start-file")
		case c.sel.StopFile != "" && c.sel.StopPos == 0:
			return nil, cli.Usagef("--stop-file with --remote goes with --stop-position")
		case c.serverID > 1<<32-1:
			return nil, cli.Usagef("--server-id must fit in 32 bits")
		}
		if c.gtid != "" {
			if _, err := binlog.ParseGTIDSet(c.gtid); err != nil {
				return nil, cli.Usagef("--gtid: %v", err)
			}
		}
	} else if c.gtid != "" || c.stopNever || c.serverID != 0 {
		return nil, cli.Usagef("--gtid, --stop-never and --server-id go with --remote")
	}
	return c, nil
}

// parseType resolves an event type given as a number, as the server's enum
// name (WRITE_ROWS_EVENT, with or without _EVENT/_LOG_EVENT) or as
// mysqlbinlog's header word (Write_rows, which names every version of the
// event: v1, v2 and pre-GA; GTID names MySQL's and MariaDB's).
func parseType(s string) ([]event.Type, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseUint(s, 10, 8); err == nil {
		return []event.Type{event.Type(n)}, true
	}
	up := strings.ToUpper(s)
	if t, ok := event.TypeByName(up); ok {
		return []event.Type{t}, true
	}
	var ts []event.Type
	for i := 0; i < 256; i++ {
		if t := event.Type(i); t.Known() && strings.EqualFold(typeWord(t), s) {
			ts = append(ts, t)
		}
	}
	if len(ts) > 0 {
		return ts, true
	}
	for _, cand := range []string{up + "_EVENT", up + "_LOG_EVENT"} {
		if t, ok := event.TypeByName(cand); ok {
			return []event.Type{t}, true
		}
	}
	return nil, false
}

// printUsage writes the -h text.
func printUsage(w io.Writer) {
	var raw rawFlags
	cli.PrintUsage(w, usageHead, newFlagSet(&config{}, &raw), usageTail)
}
