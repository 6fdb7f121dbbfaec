package schema

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Server is a Provider that reads table definitions from a live MySQL or
// MariaDB server, through a *sql.DB the caller opens with the driver of its
// choice (this package imports none). Each table's definition is read from
// information_schema (COLUMNS for names, types, character sets, generated
// and invisible columns; STATISTICS for the primary and NOT NULL unique
// keys) the first time it is asked for, and cached. MariaDB
// system-versioned tables are read with SHOW CREATE TABLE instead, as
// information_schema leaves out their implicit row_start and row_end
// columns.
//
// DDL seen in the stream is applied to the cached definitions through a
// Catalog, so tracking starts from what the server says now. That is only
// right when the binlogs being read are recent enough that no DDL has run
// on the server since their first event that is not also in the stream
// ahead of the rows read: a server's current schema describes the newest
// rows, not old ones. For old binlogs, a schema file dumped at their start
// (LoadFile) is the exact source. Tables created, renamed or dropped by DDL
// of the stream are taken from the stream, never read again from the
// server.
//
// A Server is not safe for concurrent use.
type Server struct {
	ctx     context.Context
	db      *sql.DB
	cat     *Catalog
	fetched map[string]bool // lower(db) NUL lower(table): the Catalog is authoritative
}

// NewServer returns a Server reading from db; ctx bounds its queries.
// It does not query the server until a table is asked for.
func NewServer(ctx context.Context, db *sql.DB) *Server {
	return &Server{ctx: ctx, db: db, cat: NewCatalog(), fetched: make(map[string]bool)}
}

func dbTableKey(db, name string) string {
	return strings.ToLower(db) + "\x00" + strings.ToLower(name)
}

// Table returns db.name as the server defines it (read on first use) with
// the DDL applied since, or (nil, nil) when the server has no such table.
// A query error is returned and not cached: the next call asks again.
func (s *Server) Table(db, name string) (*Table, error) {
	k := dbTableKey(db, name)
	if !s.fetched[k] {
		versioned, err := s.systemVersioned(db, name)
		if err != nil {
			return nil, err
		}
		if versioned {
			if err := s.loadCreate(db, name); err != nil {
				return nil, err
			}
		} else {
			t, uniqueNames, notNull, err := s.load(db, name)
			if err != nil {
				return nil, err
			}
			if t != nil {
				s.cat.setTable(t, uniqueNames, notNull)
			}
		}
		s.fetched[k] = true
	}
	return s.cat.Table(db, name)
}

// ApplyDDL applies a DDL statement of the stream to the cached definitions
// (see Catalog.ApplyDDL). A statement about a table not read yet leaves
// it to be read from the server when it is first asked for.
func (s *Server) ApplyDDL(defaultDB, sql string) error {
	if err := s.cat.ApplyDDL(defaultDB, sql); err != nil {
		return err
	}
	// Whatever the Catalog knows now came from the server or the stream.
	for _, d := range s.cat.dbs {
		for _, t := range d.tables {
			s.fetched[dbTableKey(d.name, t.name)] = true
		}
	}
	return nil
}

// The queries use ? placeholders, which every MySQL driver accepts.
const (
	tableTypeQuery = `SELECT TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?`
	columnsQuery   = `SELECT COLUMN_NAME, COLUMN_TYPE, EXTRA, CHARACTER_SET_NAME, IS_NULLABLE
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`
	keysQuery = `SELECT INDEX_NAME, COLUMN_NAME
FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0
ORDER BY INDEX_NAME, SEQ_IN_INDEX`
)

// systemVersioned reports whether db.name is a MariaDB system-versioned
// table, whose implicit row_start and row_end columns information_schema
// does not list although row events carry them.
func (s *Server) systemVersioned(db, name string) (bool, error) {
	var typ string
	err := s.db.QueryRowContext(s.ctx, tableTypeQuery, db, name).Scan(&typ)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("schema: reading the type of %s.%s: %w", db, name, err)
	}
	return typ == "SYSTEM VERSIONED", nil
}

// loadCreate reads db.name through SHOW CREATE TABLE and the Catalog's
// parser (for system-versioned tables).
func (s *Server) loadCreate(db, name string) error {
	var tn, create string
	q := "SHOW CREATE TABLE `" + strings.ReplaceAll(db, "`", "``") + "`.`" + strings.ReplaceAll(name, "`", "``") + "`"
	if err := s.db.QueryRowContext(s.ctx, q).Scan(&tn, &create); err != nil {
		return fmt.Errorf("schema: reading the definition of %s.%s: %w", db, name, err)
	}
	tmp := NewCatalog()
	if err := tmp.ApplyDDL(db, create); err != nil {
		return fmt.Errorf("schema: the definition of %s.%s: %w", db, name, err)
	}
	if t := tmp.lookup(db, tn); t != nil {
		t = t.copy()
		t.name = name
		s.cat.put(db, t)
	}
	return nil
}

// load reads one table's definition, with the names of its unique keys
// and the NOT NULL-ness of its columns; nil when the server has no such
// table.
func (s *Server) load(db, name string) (t *Table, uniqueNames []string, notNullCols []bool, err error) {
	rows, err := s.db.QueryContext(s.ctx, columnsQuery, db, name)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("schema: reading the columns of %s.%s: %w", db, name, err)
	}
	t = &Table{Database: db, Name: name}
	notNull := map[string]bool{}
	for rows.Next() {
		var colName, colType, extra string
		var cs, nullable sql.NullString
		if err := rows.Scan(&colName, &colType, &extra, &cs, &nullable); err != nil {
			rows.Close()
			return nil, nil, nil, fmt.Errorf("schema: reading the columns of %s.%s: %w", db, name, err)
		}
		ex := strings.ToUpper(extra)
		c := Column{
			Name:      colName,
			Type:      colType,
			Generated: strings.Contains(ex, "VIRTUAL GENERATED") || strings.Contains(ex, "STORED GENERATED") || strings.Contains(ex, "PERSISTENT GENERATED"),
			Invisible: strings.Contains(ex, "INVISIBLE"),
			Unsigned:  strings.Contains(strings.ToLower(colType), " unsigned"),
			// COLUMN_TYPE has it ("time(3) /* mariadb-5.3 */") on every
			// server, DATETIME_PRECISION only from MySQL 5.6 on.
			Precision: typePrecision(colType),
		}
		if cs.Valid {
			c.Charset = ddlCharsetName(cs.String)
		}
		t.Columns = append(t.Columns, c)
		notNull[strings.ToLower(colName)] = nullable.String == "NO"
		notNullCols = append(notNullCols, nullable.String == "NO")
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, nil, nil, fmt.Errorf("schema: reading the columns of %s.%s: %w", db, name, err)
	}
	rows.Close()
	if len(t.Columns) == 0 {
		return nil, nil, nil, nil
	}

	rows, err = s.db.QueryContext(s.ctx, keysQuery, db, name)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("schema: reading the keys of %s.%s: %w", db, name, err)
	}
	defer rows.Close()
	index := func(col string) int {
		for i, c := range t.Columns {
			if strings.EqualFold(c.Name, col) {
				return i
			}
		}
		return -1
	}
	type key struct {
		name string
		cols []int
		bad  bool // a functional part, or a nullable column
	}
	var keys []*key
	for rows.Next() {
		var idx string
		var col sql.NullString
		if err := rows.Scan(&idx, &col); err != nil {
			return nil, nil, nil, fmt.Errorf("schema: reading the keys of %s.%s: %w", db, name, err)
		}
		if len(keys) == 0 || keys[len(keys)-1].name != idx {
			keys = append(keys, &key{name: idx})
		}
		k := keys[len(keys)-1]
		i := -1
		if col.Valid {
			i = index(col.String)
		}
		if i < 0 || !notNull[strings.ToLower(col.String)] && idx != "PRIMARY" {
			k.bad = true
			continue
		}
		k.cols = append(k.cols, i)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, fmt.Errorf("schema: reading the keys of %s.%s: %w", db, name, err)
	}
	for _, k := range keys {
		switch {
		case k.bad || len(k.cols) == 0:
		case k.name == "PRIMARY":
			t.PrimaryKey = k.cols
		default:
			t.UniqueKeys = append(t.UniqueKeys, k.cols)
			uniqueNames = append(uniqueNames, k.name)
		}
	}
	return t, uniqueNames, notNullCols, nil
}
