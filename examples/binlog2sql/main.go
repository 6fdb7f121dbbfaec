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
// FILE it converts a small embedded sample binlog. Run `binlog2sql -h` for
// every flag and examples.
//
// Exit status: 0 on success, 1 on a bad input (one line on stderr naming the
// file, the byte offset and the problem), 2 on bad usage.
package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // --tz with zone names on hosts without a zoneinfo database

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/mask"
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
	startPos, stopPos   uint64
	startTime, stopTime time.Time
	loc                 *time.Location
	databases           []string
	tables, exclude     []string
	sqlTypes            sqlgen.SQLType
	includeGTIDs        string
	excludeGTIDs        string
	opts                sqlgen.Options
	schemaFile          string
	schemaDSN           string
	maskFile            string
	quiet               bool
	workers             int
	files               []string
	fb                  flashbackConfig
}

// listFlag is a repeatable flag whose values may also be comma lists.
type listFlag struct{ vals *[]string }

func (l listFlag) String() string {
	if l.vals == nil {
		return ""
	}
	return strings.Join(*l.vals, ",")
}

func (l listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l.vals = append(*l.vals, v)
		}
	}
	return nil
}

// usageError is bad usage: exit 2 with a one-line message and a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

const usageHead = `Usage: binlog2sql [flags] FILE...

Turns the row events of MySQL/MariaDB binary logs into SQL that reproduces
them exactly (INSERT/UPDATE/DELETE, one per row change), with a comment after
each statement: "# start POS end POS time YYYY-MM-DD HH:MM:SS gtid ...".
The output starts with SET NAMES utf8mb4, SET time_zone='+00:00' and a
sql_mode: feed it to the mysql/mariadb client as it is.

Column names come from the binlog itself when the server logged them
(binlog_row_metadata=FULL), else from --schema FILE or --schema-dsn DSN; the
DDL in the stream is followed either way, so rows logged before an ALTER are
written with the columns they had. A rows event that does not fit the schema
stops the run: no statement is ever written with misaligned columns.

FILE "-" reads standard input; several files are read in order. Gzip, lz4
and zstd compressed files are read directly. Without FILE, a small embedded
sample binlog is converted.

Flags (each may be written -flag or --flag, with "--flag value" or "--flag=value"):
`

const usageTail = `
Examples:
  binlog2sql mysql-bin.000042 > redo.sql
  binlog2sql --start-position=1234 --stop-position=98765 mysql-bin.000042
  binlog2sql --start-datetime "2024-05-01 10:00:00" --stop-datetime "2024-05-01 11:00" --tz Europe/Berlin mysql-bin.*
  binlog2sql --databases shop --tables orders,order_items --sql-type UPDATE,DELETE mysql-bin.000042
  binlog2sql --exclude-tables shop.order_log mysql-bin.000042
  binlog2sql --include-gtids 3e11fa47-71ca-11e1-9e33-c80aa9429562:100-200 mysql-bin.000042
  binlog2sql --ddl --rewrite-db shop:shop_copy mariadb-bin.000001 mariadb-bin.000002 | mariadb
  binlog2sql --schema schema.sql mysql-bin.000042      # schema.sql from mysqldump --no-data
  binlog2sql --schema-dsn 'user:pass@tcp(db1:3306)/' mysql-bin.000042
  binlog2sql --batch 500 --no-primary-key --sql-type INSERT mysql-bin.000042
  binlog2sql --workers 4 mysql-bin.000042 mysql-bin.000043 > redo.sql
  binlog2sql --flashback --start-datetime "2024-05-01 10:00:00" mysql-bin.000042 > undo.sql
  binlog2sql --flashback --chunk-rows 1000 --skip-unsafe --tables shop.orders mysql-bin.000042
  binlog2sql --mask rules.yaml mysql-bin.000042      # phone numbers, e-mails, passwords… masked
  binlog2sql            # the embedded sample

Exit status: 0 on success, 1 on a bad input (one line naming the file and the
byte offset), 2 on bad usage.
`

// rawFlags holds flag values that are checked after parsing.
type rawFlags struct {
	tz, startDT, stopDT string
	sqlTypes            []string
	rewrite             []string
	noComments          bool
}

// newFlagSet declares every flag into c and raw.
func newFlagSet(c *config, raw *rawFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("binlog2sql", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.Uint64Var(&c.startPos, "start-position", 0, "start at the event at this byte `offset` of the first file")
	fs.Uint64Var(&c.stopPos, "stop-position", 0, "stop before the event at or after this byte `offset` of the last file")
	fs.StringVar(&raw.startDT, "start-datetime", "", "keep events at or after this `time` (\"YYYY-MM-DD HH:MM:SS\", in --tz)")
	fs.StringVar(&raw.stopDT, "stop-datetime", "", "keep events before this `time` (\"YYYY-MM-DD HH:MM:SS\", in --tz)")
	fs.StringVar(&raw.tz, "tz", "UTC", "time `zone` of --start/stop-datetime and of the times in comments: UTC, Local, a name like Europe/Berlin, or an offset like +08:00")
	fs.Var(listFlag{&c.databases}, "databases", "keep only these `dbs` ('*' and '?' wildcards); repeatable or comma list")
	fs.Var(listFlag{&c.tables}, "tables", "keep only these `tables`: names (within --databases, or in any database) or db.table patterns; repeatable or comma list")
	fs.Var(listFlag{&c.exclude}, "exclude-tables", "drop these `tables` (db.table patterns, or names in any database); repeatable or comma list")
	fs.Var(listFlag{&raw.sqlTypes}, "sql-type", "write only these statement `kinds`: INSERT, UPDATE, DELETE (comma list)")
	fs.StringVar(&c.includeGTIDs, "include-gtids", "", "keep only transactions in this GTID `set` (MySQL uuid:1-5[:tag:1-3] or MariaDB 0-1-100)")
	fs.StringVar(&c.excludeGTIDs, "exclude-gtids", "", "drop transactions in this GTID `set`")
	fs.BoolVar(&c.opts.NoPrimaryKey, "no-primary-key", false, "leave the primary key out of INSERT (for AUTO_INCREMENT keys assigned afresh)")
	fs.BoolVar(&c.opts.FullColumns, "full-columns", false, "UPDATE sets every column of the after image, not only the changed ones")
	fs.BoolVar(&raw.noComments, "no-comments", false, "no position/time/GTID comment after each statement")
	fs.Var(listFlag{&raw.rewrite}, "rewrite-db", "write the tables of database `old:new` into new (repeatable or comma list); the USE before DDL too")
	fs.BoolVar(&c.opts.DDL, "ddl", false, "also write DDL (CREATE/ALTER/DROP/RENAME/TRUNCATE), each after a USE of its database, so that the output rebuilds schema and data in an empty server")
	fs.StringVar(&c.schemaFile, "schema", "", "read column names and keys from this `file` of CREATE TABLE statements (mysqldump --no-data output) when the binlog lacks them")
	fs.StringVar(&c.schemaDSN, "schema-dsn", "", "read column names and keys from this server (`dsn` as go-sql-driver/mysql spells it: user:pass@tcp(host:3306)/) when the binlog lacks them")
	fs.BoolVar(&c.opts.Replace, "replace", false, "write REPLACE instead of INSERT")
	fs.IntVar(&c.opts.BatchRows, "batch", 0, "write the rows of one event as multi-row INSERTs of up to `n` rows")
	fs.BoolVar(&c.opts.NoBackslashEscapes, "no-backslash-escapes", false, "write strings for sql_mode NO_BACKSLASH_ESCAPES (the preamble sets it)")
	fs.BoolVar(&c.opts.Positional, "positional", false, "for tables whose column names are unknown, write each change as a comment with @1..@N names instead of stopping (never as SQL)")
	fs.StringVar(&c.maskFile, "mask", "", "mask sensitive values with the rules in this YAML `file` (see package mask) before any SQL is written; column rules need column names (binlog_row_metadata=FULL, --schema or --schema-dsn). Masked SQL is for reading and for test data: a key column a rule masks no longer names the source server's rows")
	addFlashbackFlags(fs, &c.fb)
	fs.BoolVar(&c.quiet, "quiet", false, "no progress indicator on stderr (errors still go there)")
	fs.IntVar(&c.workers, "workers", 1, "generate the SQL on `n` goroutines (same output; without event filters, --flashback and --mask, and without a progress indicator)")
	return fs
}

// parseArgs parses the command line. It returns flag.ErrHelp for -h.
func parseArgs(args []string) (*config, error) {
	c := &config{}
	var raw rawFlags
	fs := newFlagSet(c, &raw)
	// Flags may follow file names; "--" ends the flags.
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, &usageError{msg: err.Error()}
		}
		left := fs.Args()
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			c.files = append(c.files, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		c.files = append(c.files, left[0])
		rest = left[1:]
	}
	for _, s := range raw.sqlTypes {
		switch strings.ToUpper(s) {
		case "INSERT":
			c.opts.SQLTypes |= sqlgen.SQLInsert
		case "UPDATE":
			c.opts.SQLTypes |= sqlgen.SQLUpdate
		case "DELETE":
			c.opts.SQLTypes |= sqlgen.SQLDelete
		default:
			return nil, usagef("unknown --sql-type %q (use INSERT, UPDATE, DELETE)", s)
		}
	}
	for _, s := range raw.rewrite {
		from, to, ok := strings.Cut(s, ":")
		if !ok || from == "" || to == "" {
			return nil, usagef("bad --rewrite-db %q: want old:new", s)
		}
		if c.opts.RewriteDB == nil {
			c.opts.RewriteDB = make(map[string]string)
		}
		c.opts.RewriteDB[from] = to
	}
	if c.workers < 1 {
		return nil, usagef("--workers %d: want at least 1", c.workers)
	}
	if c.opts.BatchRows < 0 {
		return nil, usagef("--batch %d: want a positive number of rows", c.opts.BatchRows)
	}
	if c.fb.chunkRows < 0 || c.fb.budgetMB <= 0 {
		return nil, usagef("--chunk-rows and --memory-budget want positive numbers")
	}
	if !c.fb.on && (c.fb.chunkRows != 0 || c.fb.oneTransaction || c.fb.skipUnsafe || c.fb.requireKey) {
		return nil, usagef("--chunk-rows, --one-transaction, --skip-unsafe and --key-only go with --flashback")
	}
	if c.fb.on && c.opts.DDL {
		return nil, usagef("--ddl and --flashback: DDL cannot be rolled back")
	}
	if c.schemaFile != "" && c.schemaDSN != "" {
		return nil, usagef("--schema and --schema-dsn: give one schema source")
	}
	c.opts.NoComments = raw.noComments
	loc, err := parseZone(raw.tz)
	if err != nil {
		return nil, err
	}
	c.loc = loc
	c.opts.Location = loc
	if raw.startDT != "" {
		if c.startTime, err = parseDateTime("start-datetime", raw.startDT, loc); err != nil {
			return nil, err
		}
	}
	if raw.stopDT != "" {
		if c.stopTime, err = parseDateTime("stop-datetime", raw.stopDT, loc); err != nil {
			return nil, err
		}
	}
	if c.stopPos != 0 && c.stopPos <= c.startPos && len(c.files) <= 1 {
		return nil, usagef("--stop-position %d is not after --start-position %d", c.stopPos, c.startPos)
	}
	if c.startPos != 0 && c.startPos < event.MagicLen {
		return nil, usagef("--start-position %d is inside the file's magic (the first event is at 4)", c.startPos)
	}
	if !c.startTime.IsZero() && !c.stopTime.IsZero() && !c.stopTime.After(c.startTime) {
		return nil, usagef("--stop-datetime is not after --start-datetime")
	}
	return c, nil
}

func parseDateTime(flagName, s string, loc *time.Location) (time.Time, error) {
	t, err := binlog.ParseDateTime(s, loc)
	if err != nil {
		return time.Time{}, usagef("bad --%s %q: want \"YYYY-MM-DD HH:MM:SS\"", flagName, s)
	}
	return t, nil
}

// parseZone reads --tz: UTC, Local, an IANA name, or a numeric offset
// (+08:00, -0530, +8).
func parseZone(s string) (*time.Location, error) {
	switch strings.ToLower(s) {
	case "", "utc", "z", "gmt":
		return time.UTC, nil
	case "local":
		return time.Local, nil
	}
	if s[0] == '+' || s[0] == '-' {
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		hh, mm, ok := strings.Cut(s[1:], ":")
		if !ok && len(hh) == 4 {
			hh, mm = hh[:2], hh[2:]
		}
		h, err1 := strconv.Atoi(hh)
		m := 0
		var err2 error
		if mm != "" {
			m, err2 = strconv.Atoi(mm)
		}
		if err1 != nil || err2 != nil || h > 14 || m > 59 || h < 0 || m < 0 {
			return nil, usagef("bad --tz %q: want UTC, Local, a zone name or an offset like +08:00", s)
		}
		return time.FixedZone(s, sign*(h*3600+m*60)), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, usagef("bad --tz %q: %v", s, err)
	}
	return loc, nil
}

func printUsage(w io.Writer) {
	var raw rawFlags
	fs := newFlagSet(&config{}, &raw)
	io.WriteString(w, usageHead)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + usage
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" {
			line += " (default " + f.DefValue + ")"
		}
		fmt.Fprintln(w, line)
	})
	io.WriteString(w, usageTail)
}

// run is the whole tool; it returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return exitOK
		}
		fmt.Fprintf(stderr, "binlog2sql: %s (run binlog2sql -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}
	filters, posRange, err := buildFilters(c)
	if err == nil && c.workers > 1 && (filters != nil || c.fb.on || c.maskFile != "") {
		err = usagef("--workers %d goes without --flashback, --mask and event filters (positions, times, databases, tables, GTIDs)", c.workers)
	}
	if err != nil {
		fmt.Fprintf(stderr, "binlog2sql: %s (run binlog2sql -h for usage)\n", oneLine(err.Error()))
		return exitUsage
	}
	schema, closeSchema, err := openSchema(ctx, c, stderr)
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
	src, closeSrc := openSource(c.files, stdin)
	defer closeSrc()
	if masker != nil {
		// The masked events keep the positions of the input.
		src = masker.Source(src)
	}
	if c.fb.on {
		return runFlashback(ctx, c, schema, filters, src, stdout, stderr)
	}
	if c.workers > 1 {
		return runParallel(ctx, c, schema, src, w, stderr)
	}
	r := binlog.NewReader(src)
	g := sqlgen.New(schema, c.opts)
	prog := newProgress(c, stderr)

	fail := func(err error) int {
		prog.clear()
		w.Flush()
		fmt.Fprintf(stderr, "binlog2sql: %s\n", oneLine(err.Error()))
		return exitBadInput
	}

	var buf []byte
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
			// The statements before a read error (a file cut while being
			// written) are written, as before a generation error.
			w.Write(buf)
			return fail(err)
		}
		prog.update(ev)
		// Events the filters drop still reach the generator's schema
		// tracking (format descriptions, Table_maps, DDL): only their SQL
		// is left out.
		if filters != nil && !filters.Keep(ev) {
			if posRange != nil && posRange.Done() {
				break
			}
			if err := g.Observe(ev); err != nil {
				return fail(err)
			}
			continue
		}
		n := len(buf)
		buf, err = g.AppendEvent(buf, ev)
		if !begun && len(buf) > n {
			// The preamble comes before the first statement: an input
			// without any writes nothing.
			begun = true
			stmt := append([]byte(nil), buf[n:]...)
			buf = append(g.Preamble(buf[:n]), stmt...)
		}
		if err != nil {
			w.Write(buf)
			return fail(err)
		}
		if len(buf) >= 64<<10 {
			if _, err := w.Write(buf); err != nil {
				return fail(fmt.Errorf("writing output: %w", err))
			}
			buf = buf[:0]
		}
	}
	prog.clear()
	w.Write(buf)
	if err := w.Flush(); err != nil {
		return fail(fmt.Errorf("writing output: %w", err))
	}
	if file, off, n := r.Tail(); n > 0 && !c.quiet {
		fmt.Fprintf(stderr, "# warning: %s: at byte %d: %d trailing bytes ignored (fewer than an event header; the file was probably being written)\n", displayName(file), off, n)
	}
	return exitOK
}

// loadMask reads a --mask rules file. Column names the Table_maps lack come
// from the schema source, which follows the DDL of the stream.
func loadMask(path string, schema sqlgen.Schema) (*mask.Masker, error) {
	cfg, err := mask.LoadFile(path)
	if err != nil {
		return nil, err
	}
	names := func(db, table string) []string {
		t, err := schema.Table(db, table)
		if err != nil || t == nil {
			return nil
		}
		out := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			out[i] = c.Name
		}
		return out
	}
	return mask.New(cfg, mask.WithColumnNames(names))
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
// without any, stdin for a lone "-", else the files in order.
func openSource(files []string, stdin io.Reader) (binlog.Source, func()) {
	switch {
	case len(files) == 0:
		s := binlog.NewStreamSource(bytes.NewReader(sampleBinlog), sampleName)
		return s, func() { s.Close() }
	case len(files) == 1 && files[0] == "-":
		s := binlog.NewStreamSource(io.NopCloser(stdin), "stdin")
		return s, func() { s.Close() }
	}
	l := binlog.OpenFiles(files...)
	return l, func() { l.Close() }
}

// tablePatterns turns --databases and --tables into db.table patterns:
// a bare table name applies to each --databases entry (or any database).
func tablePatterns(dbs, tables []string) []string {
	var out []string
	for _, t := range tables {
		if strings.Contains(t, ".") {
			out = append(out, t)
			continue
		}
		if len(dbs) == 0 {
			out = append(out, "*."+t)
			continue
		}
		for _, db := range dbs {
			out = append(out, db+"."+t)
		}
	}
	return out
}

// buildFilters turns the filter flags into one Filter (nil when there are
// none) and returns the position range, whose Done tells when to stop.
func buildFilters(c *config) (binlog.Filter, *binlog.PositionRange, error) {
	var fs []binlog.Filter
	var pr *binlog.PositionRange
	if c.startPos != 0 || c.stopPos != 0 {
		pr = &binlog.PositionRange{Start: c.startPos, Stop: c.stopPos}
		if len(c.files) > 1 {
			pr.StartFile, pr.StopFile = c.files[0], c.files[len(c.files)-1]
		}
		fs = append(fs, pr)
	}
	if !c.startTime.IsZero() || !c.stopTime.IsZero() {
		fs = append(fs, binlog.TimeRange{Start: c.startTime, Stop: c.stopTime})
	}
	if len(c.databases) > 0 {
		f, err := newDatabaseFilter(c.databases)
		if err != nil {
			return nil, nil, usagef("--databases: %v", err)
		}
		fs = append(fs, f)
	}
	include := tablePatterns(c.databases, c.tables)
	exclude := tablePatterns(nil, c.exclude)
	if len(include) > 0 || len(exclude) > 0 {
		f, err := binlog.NewTableFilter(include, exclude)
		if err != nil {
			return nil, nil, usagef("--tables/--exclude-tables: %v", err)
		}
		fs = append(fs, f)
	}
	if c.includeGTIDs != "" || c.excludeGTIDs != "" {
		f := &binlog.GTIDFilter{}
		for _, x := range []struct {
			flag, text string
			dst        **binlog.GTIDSet
		}{{"--include-gtids", c.includeGTIDs, &f.Include}, {"--exclude-gtids", c.excludeGTIDs, &f.Exclude}} {
			if x.text == "" {
				continue
			}
			set, err := binlog.ParseGTIDSet(x.text)
			if err != nil {
				return nil, nil, usagef("%s: %v", x.flag, err)
			}
			*x.dst = set
		}
		fs = append(fs, f)
	}
	switch len(fs) {
	case 0:
		return nil, pr, nil
	case 1:
		return fs[0], pr, nil
	}
	return binlog.All(fs...), pr, nil
}

// databaseFilter is --databases: TABLE_MAP and rows events by their table's
// database, QUERY events (DDL) by their default database, except BEGIN,
// COMMIT and ROLLBACK, which frame the kept rows events.
type databaseFilter struct {
	tables   *binlog.TableFilter
	patterns []string
}

func newDatabaseFilter(dbs []string) (*databaseFilter, error) {
	tf, err := binlog.NewTableFilter(dbs, nil)
	if err != nil {
		return nil, err
	}
	for _, db := range dbs {
		if strings.Contains(db, ".") {
			return nil, fmt.Errorf("%q is a table; use --tables for db.table patterns", db)
		}
	}
	return &databaseFilter{tables: tf, patterns: dbs}, nil
}

// Keep implements binlog.Filter.
func (f *databaseFilter) Keep(ev *event.Event) bool {
	if q, ok := ev.Body.(*event.Query); ok {
		if q.IsBegin() || q.IsCommit() || q.IsRollback() {
			return true
		}
		for _, p := range f.patterns {
			if m, _ := path.Match(p, string(q.Schema)); m {
				return true
			}
		}
		return false
	}
	return f.tables.Keep(ev)
}
