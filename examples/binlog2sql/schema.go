// This file wires --schema and --schema-dsn to sqlgen's schema sources.

package main

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/go-sql-driver/mysql" // --schema-dsn

	"github.com/binlogkit/binlogkit/sqlgen"
)

// openSchema returns the schema source the flags ask for (nil: Table_map
// metadata only) and a function that releases it.
func openSchema(ctx context.Context, c *config) (sqlgen.Schema, func(), error) {
	switch {
	case c.schemaFile != "":
		s, err := sqlgen.LoadSchemaFile(c.schemaFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--schema %s: %w", c.schemaFile, err)
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
		return sqlgen.NewDBSchema(ctx, db), func() { db.Close() }, nil
	}
	return nil, func() {}, nil
}
