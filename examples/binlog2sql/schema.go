// This file wires --schema and --schema-dsn to the schema package's providers.

package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	_ "github.com/go-sql-driver/mysql" // --schema-dsn

	"github.com/binlogkit/binlogkit/schema"
)

// openSchema returns the schema source the flags ask for and a function that
// releases it. Without --schema or --schema-dsn the tables are learnt from the
// CREATE/ALTER statements of the stream itself (streamSchema).
func openSchema(ctx context.Context, c *config, live *sql.DB, stderr io.Writer) (schema.Provider, func(), error) {
	switch {
	case c.schemaFile != "":
		s, err := schema.LoadFile(c.schemaFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--schema: %w", err)
		}
		return s, func() {}, nil
	case c.schemaDSN != "":
		db, err := sql.Open("mysql", c.schemaDSN)
		if err != nil {
			return nil, nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, nil, fmt.Errorf("--schema-dsn: %w", err)
		}
		return schema.NewServer(ctx, db), func() { db.Close() }, nil
	case live != nil:
		// Reading from a server: the tables as it defines them now,
		// followed through the DDL of the stream.
		return schema.NewServer(ctx, live), func() {}, nil
	}
	return &streamSchema{cat: schema.NewCatalog(), stderr: stderr}, func() {}, nil
}

// streamSchema learns tables from the DDL in the stream when no schema was
// given: binlogs that start with a table's CREATE TABLE need no other
// source even without binlog_row_metadata=FULL. A statement the DDL parser
// cannot read is a warning, not an error, because nothing was asked of this
// source: the generator's check of every rows event against its Table_map
// still refuses rows the learnt schema does not fit.
type streamSchema struct {
	cat    *schema.Catalog
	stderr io.Writer
	warned int
}

// Table returns what the stream taught about db.name.
func (s *streamSchema) Table(db, name string) (*schema.Table, error) { return s.cat.Table(db, name) }

// Generation is that of the Catalog (see schema.Versioned).
func (s *streamSchema) Generation() uint64 { return s.cat.Generation() }

// ApplyDDL follows a DDL statement; parse failures are reported, not fatal.
func (s *streamSchema) ApplyDDL(defaultDB, stmt string) error {
	if err := s.cat.ApplyDDL(defaultDB, stmt); err != nil {
		if s.warned++; s.warned <= 5 {
			fmt.Fprintf(s.stderr, "# warning: schema tracking: %s\n", oneLine(err.Error()))
		}
	}
	return nil
}
