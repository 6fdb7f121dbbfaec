//go:build !sqlgen_schema

// Stand-in for schema.go while sqlgen's schema-file and live-server sources
// are not in this tree: --schema and --schema-dsn say so. The integrator
// deletes this file and the build line of schema.go.

package main

import (
	"context"
	"errors"

	"github.com/binlogkit/binlogkit/sqlgen"
)

func openSchema(ctx context.Context, c *config) (sqlgen.Schema, func(), error) {
	switch {
	case c.schemaFile != "":
		return nil, nil, errors.New("--schema: this build has no schema-file support (sqlgen.LoadSchemaFile)")
	case c.schemaDSN != "":
		return nil, nil, errors.New("--schema-dsn: this build has no live-server schema support (sqlgen.NewDBSchema)")
	}
	return nil, func() {}, nil
}
