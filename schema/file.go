package schema

import (
	"fmt"
	"io"
	"os"
)

// FileOption changes how a schema file is read by LoadFile and Parse.
type FileOption func(*fileConfig)

type fileConfig struct {
	defaultDB string
}

// WithDefaultDB sets the database that the file's statements apply to
// until its first USE statement: mysqldump output of a single database
// dumped without --databases has no USE.
func WithDefaultDB(db string) FileOption {
	return func(c *fileConfig) { c.defaultDB = db }
}

// LoadFile reads the schema file at path (see Parse); errors name the file.
func LoadFile(path string, opts ...FileOption) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	c, err := Parse(f, opts...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse reads a schema file, a script of SQL statements, from r and returns
// the Catalog they build. A schema file is typically the output of
// mysqldump --no-data or mariadb-dump --no-data: it gives the tables as
// they were when it was made, and the Catalog's ApplyDDL follows the DDL
// of the stream from there, so that when the file was dumped at the start
// of the binlogs being read, every row is read with the definition in
// force at its position.
//
// Statements are run as the mariadb and mysql clients run them: each ends
// with the current delimiter (";", changed by DELIMITER lines as dumps do
// around triggers and routines), USE db changes the default database, and
// comments and version comments are understood. Statements that change no
// table (SET, LOCK, INSERT, views, triggers, routines) are skipped. The
// first statement that cannot be read is an error naming its line and
// wrapping ErrDDL.
func Parse(r io.Reader, opts ...FileOption) (*Catalog, error) {
	var cfg fileConfig
	for _, o := range opts {
		o(&cfg)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	c := NewCatalog()
	db := cfg.defaultDB
	err = ddlSplitStatements(string(data), func(line int, stmt string) error {
		if w := ddlFirstWords(stmt, 1); len(w) == 1 && w[0] == "USE" {
			db = ddlUseTarget(stmt)
			return nil
		}
		if err := c.ApplyDDL(db, stmt); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ddlUseTarget returns the database of a USE statement.
func ddlUseTarget(stmt string) string {
	ts := ddlTokens(stmt)
	for _, t := range ts[1:] {
		switch t.kind {
		case ddlTokWord:
			return stmt[t.start:t.end]
		case ddlTokQuoted:
			return ddlUnquoteIdent(stmt[t.start:t.end])
		}
	}
	return ""
}
