// Command binlog2sql turns the row events of MySQL and MariaDB binary logs
// into SQL that reproduces the changes exactly: INSERT, UPDATE and DELETE
// statements (REPLACE on request) with a comment after each one naming its
// binlog positions, time and GTID. It is built on binlogkit's public
// packages binlog and sqlgen and needs no server: column names come from
// the Table_maps (binlog_row_metadata=FULL), from a schema file of CREATE
// TABLE statements (--schema) or from a live server (--schema-dsn), and the
// DDL of the stream is followed so that every row uses the schema in force
// at its position.
//
// Usage:
//
//	binlog2sql [flags] FILE...
//
// FILE "-" reads standard input; several files are read in order. Without
// FILE it converts a small embedded sample binlog. Run `binlog2sql --help` for
// every flag and examples.
//
// The selection flags are those of every binlogkit tool (package
// examples/internal/cli's Selection): --start-position applies to the first
// file and --stop-position to the last and must be event boundaries,
// --start-file and --stop-file pick files, times are in the local zone
// unless --tz says otherwise (the first line of the output names it), and a
// MariaDB GTID names one transaction. A time range or a table filter that
// keeps nothing says so on stderr.
//
// Exit status: 0 on success, 1 on a bad input (one line on stderr naming the
// file, the byte offset and the problem), 2 on bad usage.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
	"github.com/binlogkit/binlogkit/mask"
	"github.com/binlogkit/binlogkit/schema"
	"github.com/binlogkit/binlogkit/sqlgen"
)

// sampleBinlog is converted when no FILE is given: a small MariaDB 10.11
// binlog (FULL metadata, recorded after a server restart): an INSERT into a
// keyless table, an INSERT, an UPDATE and a DELETE.
//
//go:embed testdata/sample.bin
var sampleBinlog []byte

const sampleName = "sample.bin"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK       = 0
	exitBadInput = 1
	exitUsage    = 2
)

// config holds the parsed command line.
type config struct {
	sel             cli.Selection
	opts            sqlgen.Options
	schemaFile      string
	schemaDSN       string
	maskFile        string
	quiet           bool
	allowIncomplete bool
	workers         int
	files           []string
	live            liveConfig
	fb              flashbackConfig
	keys            cli.Keys
}

const usageHead = `Usage: binlog2sql [flags] FILE...
       binlog2sql -h HOST -P PORT -u USER -pPASSWORD [--start-file FILE] [flags]

Turns the row events of MySQL/MariaDB binary logs into SQL that reproduces
them exactly (INSERT/UPDATE/DELETE, one per row change), with a comment after
each statement: "# start POS end POS time YYYY-MM-DD HH:MM:SS gtid ...".
The output starts with SET NAMES utf8mb4, SET time_zone='+00:00' and a
sql_mode: feed it to the mysql/mariadb client as it is.

Column names come from the binlog itself when the server logged them
(binlog_row_metadata=FULL), else from --schema FILE or --schema-dsn DSN; the
DDL in the stream is followed either way, so rows logged before an ALTER are
written with the columns they had. A rows event that does not fit the schema
stops the run: no statement is ever written with misaligned columns. MySQL
refuses values for generated columns and its binlogs do not flag them: a
MySQL table needs its definition (its CREATE TABLE in the binlog, --schema,
--schema-dsn, or -h/-u/-p), or the run stops naming it (--flashback: before
writing anything).

FILE "-" reads standard input; several files are read in order. Gzip, xz,
lz4 and zstd compressed files are read directly; encrypted ones with their
keys (--key-file for MariaDB, --keyring or --keyring-key for MySQL). Without
FILE, a small embedded sample binlog is converted.

` + cli.SelectionHelp + `Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  binlog2sql -h127.0.0.1 -P3306 -uroot -p'pwd' -d shop -t users \
      --start-file mysql-bin.000001 --start-datetime '2025-09-09 10:25:00' --stop-datetime '2025-09-09 10:35:00' -B > rollback.sql
  binlog2sql -S /run/mysqld/mysqld.sock -u root --start-file mariadb-bin.000007 --stop-never
  binlog2sql --dsn 'repl:secret@tcp(db1:3306)/?tls=verify-identity' --start-file mysql-bin.000042 --start-position 4
  binlog2sql mysql-bin.000042 > redo.sql
  binlog2sql --start-position=1234 --stop-position=98765 mysql-bin.000042
  binlog2sql --start-file mysql-bin.000041 --start-pos 1234 --stop-file mysql-bin.000042 --end-pos 98765 mysql-bin.0000*
  binlog2sql --start-datetime "2024-05-01 10:00:00" --stop-datetime "2024-05-01 11:00" --tz Europe/Berlin mysql-bin.*
  binlog2sql --databases shop --tables orders,order_items --sql-type UPDATE,DELETE mysql-bin.000042
  binlog2sql --exclude-tables shop.order_log mysql-bin.000042
  binlog2sql --include-gtids 3e11fa47-71ca-11e1-9e33-c80aa9429562:100-200 mysql-bin.000042
  binlog2sql -d shop -t orders --include-gtids 0-1-7,0-1-8 mariadb-bin.000007      # two MariaDB transactions (0-1-5..8: four)
  binlog2sql --ddl --rewrite-db shop:shop_copy mariadb-bin.000001 mariadb-bin.000002 | mariadb
  binlog2sql --schema schema.sql mysql-bin.000042      # schema.sql from mysqldump --no-data
  binlog2sql --schema-dsn 'user:pass@tcp(db1:3306)/' mysql-bin.000042
  binlog2sql --batch 500 --no-primary-key --sql-type INSERT mysql-bin.000042
  binlog2sql --workers 4 mysql-bin.000042 mysql-bin.000043 > redo.sql
  binlog2sql --flashback --start-datetime "2024-05-01 10:00:00" mysql-bin.000042 > undo.sql
  binlog2sql --flashback --chunk-rows 1000 --skip-unsafe --tables shop.orders mysql-bin.000042
  binlog2sql --flashback --skip-unsafe mysql-bin.000042 mysql-bin.000043 > undo.sql   # whole files: inverted on one goroutine per CPU
  binlog2sql --mask rules.yaml mysql-bin.000042      # phone numbers, e-mails, passwords… masked
  binlog2sql --key-file /etc/mysql/keys.txt mariadb-bin.000042   # encrypt_binlog=ON
  binlog2sql            # the embedded sample

Exit status: 0 on success, 1 on a bad input (one line naming the file and the
byte offset), 2 on bad usage.
`

// rawFlags holds flag values that are checked after parsing.
type rawFlags struct {
	rewrite    []string
	noComments bool
}

// newFlagSet declares every flag into c and raw.
func newFlagSet(c *config, raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("binlog2sql", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	c.sel.Register(fs, cli.SQLType|cli.OnlyDML)
	fs.BoolVar(&c.opts.NoPrimaryKey, "no-primary-key", false, "leave the primary key out of INSERT (for AUTO_INCREMENT keys assigned afresh)")
	cli.Alias(fs, "no-primary-key", "K")
	fs.BoolVar(&c.opts.FullColumns, "full-columns", false, "UPDATE sets every column of the after image, not only the changed ones")
	fs.BoolVar(&raw.noComments, "no-comments", false, "no position/time/GTID comment after each statement")
	fs.Var(cli.List(&raw.rewrite), "rewrite-db", "write the tables of database `old:new` into new (repeatable or comma list); the USE before DDL too")
	fs.BoolVar(&c.opts.DDL, "ddl", false, "also write DDL (CREATE/ALTER/DROP/RENAME/TRUNCATE), each after a USE of its database, so that the output rebuilds schema and data in an empty server")
	fs.StringVar(&c.schemaFile, "schema", "", "read column names and keys from this `file` of CREATE TABLE statements (mysqldump --no-data output) when the binlog lacks them")
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", "read column names and keys from this server (`dsn` as go-sql-driver/mysql spells it: user:pass@tcp(host:3306)/) when the binlog lacks them")
	fs.BoolVar(&c.opts.Replace, "replace", false, "write REPLACE instead of INSERT")
	fs.IntVar(&c.opts.BatchRows, "batch", 0, "write the rows of one event as multi-row INSERTs of up to `n` rows")
	fs.BoolVar(&c.opts.NoBackslashEscapes, "no-backslash-escapes", false, "write strings for sql_mode NO_BACKSLASH_ESCAPES (the preamble sets it)")
	fs.BoolVar(&c.opts.Positional, "positional", false, "for tables whose column names are unknown, write each change as a comment with @1..@N names instead of stopping (never as SQL)")
	fs.StringVar(&c.maskFile, "mask", "", "mask sensitive values with the rules in this YAML `file` (see package mask) before any SQL is written; column rules need column names (binlog_row_metadata=FULL, --schema or --schema-dsn). Masked SQL is for reading and for test data: a key column a rule masks no longer names the source server's rows")
	addFlashbackFlags(fs, &c.fb)
	addLiveFlags(fs, &c.live)
	fs.BoolVar(&c.allowIncomplete, "allow-incomplete", false, "when the input ends inside a transaction (a crash, a file still being written), write its statements as SQL comments and exit 0 (without it they are left out and the exit status is 1)")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress indicator on stderr (errors still go there)")
	fs.IntVar(&c.workers, "workers", 0, "generate the SQL on `n` goroutines (same output; without event filters and --mask, and without a progress indicator). With --flashback, the rollback SQL is written on n goroutines, filters or not, and the transactions are inverted so when no event filter or --mask is given. 0: 1, and with --flashback one per CPU (at most 4)")
	c.keys.Register(fs)
	return fs
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	var raw rawFlags
	fs := newFlagSet(c, &raw)
	// Flags may follow file names; "--" ends the flags. One-letter flags
	// may carry their value attached (-h127.0.0.1 -uroot -ppwd).
	files, err := cli.ParseFlags(fs, expandShortFlags(fs, args))
	if err != nil {
		return nil, err
	}
	c.files = files
	if err := c.sel.Parse(len(files)); err != nil {
		return nil, err
	}
	if c.sel.SQLTypes&cli.RowInsert != 0 {
		c.opts.SQLTypes |= sqlgen.SQLInsert
	}
	if c.sel.SQLTypes&cli.RowUpdate != 0 {
		c.opts.SQLTypes |= sqlgen.SQLUpdate
	}
	if c.sel.SQLTypes&cli.RowDelete != 0 {
		c.opts.SQLTypes |= sqlgen.SQLDelete
	}
	for _, s := range raw.rewrite {
		from, to, ok := strings.Cut(s, ":")
		if !ok || from == "" || to == "" {
			return nil, cli.Usagef("bad --rewrite-db %q: want old:new", s)
		}
		if c.opts.RewriteDB == nil {
			c.opts.RewriteDB = make(map[string]string)
		}
		c.opts.RewriteDB[from] = to
	}
	if c.workers < 0 {
		return nil, cli.Usagef("--workers %d: want 0 (the default) or more", c.workers)
	}
	if c.opts.BatchRows < 0 {
		return nil, cli.Usagef("--batch %d: want a positive number of rows", c.opts.BatchRows)
	}
	if c.fb.chunkRows < 0 || c.fb.budgetMB <= 0 {
		return nil, cli.Usagef("--chunk-rows and --memory-budget want positive numbers")
	}
	if !c.fb.on && (c.fb.chunkRows != 0 || c.fb.oneTransaction || c.fb.skipUnsafe || c.fb.requireKey) {
		return nil, cli.Usagef("--chunk-rows, --one-transaction, --skip-unsafe and --key-only go with --flashback")
	}
	if c.fb.on && c.opts.DDL {
		return nil, cli.Usagef("--ddl and --flashback: DDL cannot be rolled back")
	}
	if c.sel.OnlyDML && c.opts.DDL {
		return nil, cli.Usagef("--only-dml and --ddl: without --ddl the output is DML only")
	}
	if err := c.live.check(c); err != nil {
		return nil, err
	}
	if c.live.on() {
		c.sel.Remote()
		if c.sel.StartPos != 0 && c.sel.StartFile == "" || c.sel.StopPos != 0 && c.sel.StopFile == "" {
			return nil, cli.Usagef("from a server, --start-position goes with --start-file and --stop-position with --stop-file")
		}
	}
	if c.schemaFile != "" && c.schemaDSN != "" {
		return nil, cli.Usagef("--schema and --schema-dsn: give one schema source")
	}
	c.opts.NoComments = raw.noComments
	c.opts.Location = c.sel.Loc
	return c, nil
}

func printUsage(w io.Writer) {
	var raw rawFlags
	cli.PrintUsage(w, usageHead, newFlagSet(&config{}, &raw), usageTail)
}

// run is the whole tool; it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintln(stderr, usageLine(err))
		return exitUsage
	}
	if c.workers > 1 && !c.fb.on && (c.sel.Selects() || c.maskFile != "") {
		fmt.Fprintln(stderr, usageLine(cli.Usagef("--workers %d goes without --mask and event filters (positions, times, databases, tables, GTIDs), except with --flashback", c.workers)))
		return exitUsage
	}
	if err := c.keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, usageLine(err))
			return exitUsage
		}
		fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	var src binlog.Source
	var liveDB *sql.DB
	var stop binlog.Filter // the end of a live run at --stop-file
	if c.live.on() {
		var live *binlog.RemoteSource
		var db *sql.DB
		live, db, stop, err = openLive(ctx, c)
		if err != nil {
			fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
		defer live.Close()
		defer db.Close()
		src, liveDB = live, db
	} else {
		var closeSrc func()
		if src, closeSrc, err = openSource(c, stdin); err != nil {
			var ue *cli.UsageError
			if errors.As(err, &ue) {
				fmt.Fprintln(stderr, usageLine(err))
				return exitUsage
			}
			fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
		c.keys.Apply(src)
		defer closeSrc()
	}
	schema, closeSchema, err := openSchema(ctx, c, liveDB, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(err.Error()))
		return exitBadInput
	}
	defer closeSchema()
	var masker *mask.Masker
	if c.maskFile != "" {
		if masker, err = loadMask(c.maskFile, schema); err != nil {
			fmt.Fprintf(stderr, "binlog2sql: --mask: %s\n", oneLine(err.Error()))
			return exitBadInput
		}
	}

	w := bufio.NewWriterSize(stdout, 256<<10)
	if masker != nil {
		// The masked events keep the positions of the input.
		src = masker.Source(src)
	}
	filters := c.sel.Filter(stop)
	if c.fb.on {
		// The flashback writes its SQL on several goroutines (--workers,
		// or one per CPU, at most 4, by default), and reads its input so
		// too when nothing selects events.
		workers := c.workers
		if workers == 0 {
			workers = min(runtime.GOMAXPROCS(0), 4)
		}
		readers := workers
		if filters != nil || masker != nil || c.live.on() {
			readers = 1
		}
		return runFlashback(ctx, c, schema, filters, src, readers, workers, stdout, stderr)
	}
	if c.workers > 1 {
		return runParallel(ctx, c, schema, src, w, stderr)
	}
	r := binlog.NewReader(src)
	g := sqlgen.New(schema, c.opts)
	prog := newProgress(c, stderr)

	fail := func(err error) int {
		prog.Clear()
		w.Flush()
		fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(cli.KeyHint(err).Error()))
		return exitBadInput
	}

	out := &txOutput{w: w, tmpDir: c.fb.tmpDir}
	begun := false
	for {
		ev, err := r.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			if errors.Is(err, context.Canceled) {
				err = errors.New("interrupted")
			}
			// The whole transactions before a read error (a file cut while
			// being written) are written, as before a generation error.
			out.finish()
			return fail(err)
		}
		prog.Update(ev)
		// Events the filters drop still reach the generator's schema
		// tracking (format descriptions, Table_maps, DDL): only their SQL
		// is left out.
		if filters != nil && !filters.Keep(ev) {
			if c.sel.Done() {
				break
			}
			if err := g.Observe(ev); err != nil {
				out.finish()
				return fail(err)
			}
			continue
		}
		n := len(out.buf)
		out.buf, err = g.AppendEvent(out.buf, ev)
		if !begun && len(out.buf) > n {
			// The preamble comes before the first statement: an input
			// without any writes nothing.
			begun = true
			stmt := append([]byte(nil), out.buf[n:]...)
			out.buf = append(g.Preamble(append(out.buf[:n], header(c)...)), stmt...)
		}
		if err != nil {
			out.finish()
			return fail(err)
		}
		if g.InTransaction() {
			err = out.pending()
		} else {
			err = out.boundary()
		}
		if err != nil {
			return fail(err)
		}
	}
	prog.Clear()
	open, err := out.finish()
	if err == nil {
		err = c.sel.Err()
	}
	if err != nil {
		return fail(err)
	}
	code := exitOK
	if start, gtid, ok := g.OpenTransaction(); ok && len(open) > 0 {
		where := fmt.Sprintf("at %d", start)
		if gtid != "" {
			where += " (gtid " + gtid + ")"
		}
		if c.allowIncomplete {
			w.WriteString("-- The input ends inside the transaction that starts " + where + ": its statements, as comments:\n")
			writeCommented(w, open)
			fmt.Fprintf(stderr, "# warning: the input ends inside the transaction that starts %s: written as comments (--allow-incomplete)\n", where)
		} else {
			fmt.Fprintf(stderr, "binlog2sql: the input ends inside the transaction that starts %s: its statements were not written (it may never have committed; --allow-incomplete writes them as comments)\n", where)
			code = exitBadInput
		}
	}
	if err := w.Flush(); err != nil {
		return fail(fmt.Errorf("writing output: %w", err))
	}
	if file, off, n := r.Tail(); n > 0 && !c.quiet {
		fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
	}
	if !c.quiet {
		c.sel.WriteWarnings(stderr, "# warning: ")
	}
	return code
}

// loadMask reads a --mask rules file. Column names the Table_maps lack, and
// the precisions of MariaDB's older temporal formats, come from the schema
// source, which follows the DDL of the stream.
func loadMask(path string, prov schema.Provider) (*mask.Masker, error) {
	cfg, err := mask.LoadFile(path)
	if err != nil {
		return nil, err
	}
	names := func(db, table string) []string {
		t, err := prov.Table(db, table)
		if err != nil || t == nil {
			return nil
		}
		out := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			out[i] = c.Name
		}
		return out
	}
	return mask.New(cfg, mask.WithColumnNames(names), mask.WithPrecision(schema.PrecisionSetter(prov)))
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

func displayName(file string) string {
	if file == "" {
		return "input"
	}
	return file
}

// openSource returns the Source for the FILE arguments: the embedded sample
// without any, else the files from --start-file to --stop-file (stdin for a
// lone "-").
func openSource(c *config, stdin io.Reader) (binlog.Source, func(), error) {
	if len(c.files) == 0 {
		s := binlog.NewStreamSource(bytes.NewReader(sampleBinlog), sampleName)
		return s, func() { s.Close() }, nil
	}
	return c.sel.Open(c.files, stdin)
}

// header is the comment that starts the output, naming the zone of the
// times in the comments (none without comments).
func header(c *config) []byte {
	if c.opts.NoComments {
		return nil
	}
	return []byte("# binlog2sql: the times in the comments are " + cli.ZoneName(c.sel.Loc) + "\n")
}

// usageLine is the one line of bad usage: -h is the server's host here, so
// it points to --help.
func usageLine(err error) string {
	return "binlog2sql: " + oneLine(err.Error()) + " (run binlog2sql --help for usage)"
}
