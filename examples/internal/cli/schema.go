package cli

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"sync"

	_ "github.com/go-sql-driver/mysql" // --schema-dsn

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// Schema is the table definitions a tool follows through the stream, for
// what rows events do not carry (the precision of MariaDB's older temporal
// formats): a schema file (--schema FILE), a live server (--schema-dsn
// DSN), or, without either, the stream's own CREATE and ALTER statements.
// The tool shows it every event, filtered or not (Observe), and asks it
// for a table's precisions before decoding the table's rows (SetPrecision).
// Its methods may be called from several goroutines; a tool that decodes
// batches of transactions in parallel makes the DDL transactions batches of
// their own (Barrier), so each batch reads the definitions of its position.
type Schema struct {
	mu     sync.Mutex
	p      schema.Provider
	db     *sql.DB
	warn   io.Writer
	warned int
}

// SchemaUsage is the text of the --schema and --schema-dsn flags of tools
// that decode rows.
const (
	SchemaUsage    = "read table definitions from this `file` of CREATE TABLE statements (mysqldump --no-data output): the precision of MariaDB's older TIME(n)/DATETIME(n)/TIMESTAMP(n) columns, which binlogs do not carry, when the stream holds no CREATE TABLE of them"
	SchemaDSNUsage = "read table definitions from this server (`dsn` as go-sql-driver/mysql spells it: user:pass@tcp(host:3306)/), as --schema does"
)

// OpenSchema returns the Schema of the flags: file, dsn, or neither (the
// stream's DDL). Warnings (DDL that does not parse; at most 5) go to warn
// when it is not nil.
func OpenSchema(ctx context.Context, file, dsn string, warn io.Writer) (*Schema, error) {
	s := &Schema{warn: warn}
	switch {
	case file != "" && dsn != "":
		return nil, Usagef("--schema and --schema-dsn go one at a time")
	case file != "":
		c, err := schema.LoadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--schema %s: %w", file, err)
		}
		s.p = c
	case dsn != "":
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			return nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		s.db = db
		s.p = schema.NewServer(ctx, db)
	default:
		s.p = schema.NewCatalog()
	}
	return s, nil
}

// Provider returns the definitions as a schema.Provider.
func (s *Schema) Provider() schema.Provider { return s.p }

// Observe follows ev when it is DDL (whether the tool's filters keep it or
// not: later rows need the definitions in force). A statement the parser
// cannot read is a warning: rows of its table then stop with an error
// naming the table rather than being misread.
func (s *Schema) Observe(ev *event.Event) {
	q, ok := ev.Body.(*event.Query)
	if !ok || q.Statement().Kind != event.StatementDDL {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.p.ApplyDDL(string(q.Schema), string(q.Query)); err != nil && s.warn != nil {
		if s.warned++; s.warned <= 5 {
			fmt.Fprintf(s.warn, "# warning: %s: at byte %d: schema tracking: %s\n", ev.File, ev.Pos,
				strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(err.Error()))
		}
	}
}

// SetPrecision gives t the precisions of its table's definition in force
// (schema.PrecisionSetter), when some of its columns need one.
func (s *Schema) SetPrecision(t *rowcodec.Table) error {
	if !t.NeedsPrecision() {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return schema.PrecisionSetter(s.p)(t)
}

// Barrier reports the events Observe applies (DDL), for
// binlog.ParallelOptions.Barrier.
func (s *Schema) Barrier(ev *event.Event) bool {
	q, ok := ev.Body.(*event.Query)
	return ok && q.Statement().Kind == event.StatementDDL
}

// Close releases the server connection of --schema-dsn.
func (s *Schema) Close() error {
	if s.db != nil {
		return s.db.Close()
	}
	return nil
}

// TrackDDL returns filters (nil: keep all) that also apply to p the DDL
// they keep and the DDL they drop before the first rows event they keep,
// for a flashback, whose reader drops what the filters do: the precisions
// of MariaDB's older temporal formats, which rows events do not carry, may
// come from a CREATE TABLE before the range. DDL dropped once the range
// has begun (after its end, or of tables left out) is not applied: it must
// not change the definitions the rollback SQL is written with. What filters
// judge before decoding (binlog.EarlyFilter) it judges so too, but QUERY
// events, whose statements it reads.
func TrackDDL(p schema.Provider, filters binlog.Filter) binlog.Filter {
	t := &ddlTracker{p: p, filters: filters}
	t.early, _ = filters.(binlog.EarlyFilter)
	return t
}

// ddlTracker is the filter TrackDDL returns.
type ddlTracker struct {
	p       schema.Provider
	filters binlog.Filter      // nil: keep all
	early   binlog.EarlyFilter // filters, when they judge before decoding
	started bool               // a rows event was kept
}

// Keep applies the filters, and p the DDL as TrackDDL says.
func (t *ddlTracker) Keep(ev *event.Event) bool {
	keep := t.filters == nil || t.filters.Keep(ev)
	switch b := ev.Body.(type) {
	case *event.Rows:
		t.started = t.started || keep
	case *event.Query:
		if (keep || !t.started) && b.Statement().Kind == event.StatementDDL {
			// A statement p cannot read is p's to report; rows of a
			// table it then misses stop with an error naming it.
			t.p.ApplyDDL(string(b.Schema), string(b.Query))
		}
	}
	return keep
}

// KeepEarly implements binlog.EarlyFilter.
func (t *ddlTracker) KeepEarly(ev *event.Event, name *binlog.TableName) (keep, decided bool) {
	switch ev.Header.Type {
	case event.QueryEvent, event.MariaQueryCompressedEvent:
		return false, false
	}
	if t.filters == nil {
		return true, true
	}
	if t.early == nil {
		return false, false
	}
	keep, decided = t.early.KeepEarly(ev, name)
	if decided && ev.Header.Type.IsRows() {
		t.started = t.started || keep
	}
	return keep, decided
}
