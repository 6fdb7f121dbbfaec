package cdc

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
	"github.com/binlogkit/binlogkit/schema"
)

// tableInfo is what a Stream derives from one Table_map: names as strings,
// the columns with their names, the key. It is rebuilt when the Table_map
// or the schema history changes.
type tableInfo struct {
	gen       uint64
	histVer   uint64
	named     bool // names from FULL metadata
	db, name  string
	cols      []rowcodec.Column
	key       []int
	skip      bool
	watermark bool
}

func (s *Stream) tableInfo(t *rowcodec.Table) (*tableInfo, error) {
	info := s.infos[t]
	if info != nil && info.gen == t.Generation() && (info.named || info.histVer == s.hist.version) &&
		info.db == string(t.Schema) && info.name == string(t.Name) {
		return info, nil
	}
	if info == nil {
		info = &tableInfo{}
		s.infos[t] = info
	}
	info.gen, info.histVer = t.Generation(), s.hist.version
	if info.db != string(t.Schema) {
		info.db = string(t.Schema)
	}
	if info.name != string(t.Name) {
		info.name = string(t.Name)
	}
	info.watermark = s.snap != nil && s.snap.isWatermark(info.db, info.name)
	info.skip = !info.watermark && !s.filter.Match(info.db, info.name)
	if info.skip || info.watermark {
		return info, nil
	}
	named := len(t.Columns) > 0
	oldTemporal := false
	for i := range t.Columns {
		if t.Columns[i].Name == nil {
			named = false
		}
		switch t.Columns[i].WireType {
		case event.ColumnTypeTime, event.ColumnTypeDatetime, event.ColumnTypeTimestamp:
			oldTemporal = true
		}
	}
	if oldTemporal {
		// MariaDB's older ("hires") temporal formats log no precision:
		// it comes from the table's definition.
		def, err := s.hist.lookup(info.db, info.name, true)
		if err != nil {
			return nil, err
		}
		schema.SetPrecisions(t, def)
		info.gen = t.Generation()
	}
	if named {
		info.named, info.cols, info.key = true, t.Columns, t.PrimaryKey
		if info.key == nil {
			if def, _ := s.hist.lookup(info.db, info.name, false); def != nil && len(def.Columns) == len(t.Columns) {
				info.key = keyOf(def)
			}
		}
		return info, nil
	}
	info.named = false
	def, err := s.hist.lookup(info.db, info.name, true)
	if err != nil {
		return nil, err
	}
	if def == nil {
		return nil, fmt.Errorf("cdc: table %s.%s: the Table_map has no column names (binlog_row_metadata=MINIMAL) and the schema history does not know the table (give Config.DB or Config.Schema)", info.db, info.name)
	}
	if len(def.Columns) != len(t.Columns) {
		return nil, fmt.Errorf("cdc: table %s.%s: the rows event has %d columns, the schema history %d: the history does not describe the table at this position", info.db, info.name, len(t.Columns), len(def.Columns))
	}
	info.cols = append(info.cols[:0], t.Columns...)
	info.key = keyOf(def)
	for i := range info.cols {
		info.cols[i].Name = []byte(def.Columns[i].Name)
		if !info.cols[i].HasSign && def.Columns[i].Unsigned {
			info.cols[i].Unsigned = true
		}
	}
	for _, k := range info.key {
		info.cols[k].PrimaryKey = true
	}
	return info, nil
}

// namedInfo returns a tableInfo for a table named by a statement.
func (s *Stream) namedInfo(db, name string) *tableInfo {
	info := &tableInfo{db: db, name: name}
	info.watermark = s.snap != nil && s.snap.isWatermark(db, name)
	return info
}

func keyOf(def *schema.Table) []int {
	if len(def.PrimaryKey) > 0 {
		return def.PrimaryKey
	}
	if len(def.UniqueKeys) > 0 {
		return def.UniqueKeys[0]
	}
	return nil
}

// history is the schema history of a Stream: the definitions of tables
// whose Table_maps carry no column names, as of the stream's position.
type history struct {
	cat      *schema.Catalog
	provider schema.Provider
	filter   func(db, name string) bool
	version  uint64
	defsVer  uint64
	cache    []TableDef
}

func newHistory(cfg Config, start *Checkpoint) *history {
	h := &history{provider: cfg.Schema, version: 1}
	if h.provider == nil && cfg.DB != nil {
		h.provider = schema.NewServer(context.Background(), cfg.DB)
	}
	if start != nil && len(start.Schema) > 0 {
		h.cat = schema.NewCatalog()
		for _, d := range start.Schema {
			h.cat.SetTable(d.Table())
		}
	}
	return h
}

// seed loads the definitions of tables into the history (a first start on
// a server that logs no column names).
func (h *history) seed(tables []*schema.Table) {
	if h.cat == nil {
		h.cat = schema.NewCatalog()
	}
	for _, t := range tables {
		h.cat.SetTable(t)
	}
	h.version++
}

// lookup returns the definition of db.name: from the history, or (load)
// from the provider, which then joins the history.
func (h *history) lookup(db, name string, load bool) (*schema.Table, error) {
	if h.cat != nil {
		if t, err := h.cat.Table(db, name); err != nil || t != nil {
			return t, err
		}
	}
	if !load || h.provider == nil {
		return nil, nil
	}
	t, err := h.provider.Table(db, name)
	if err != nil || t == nil {
		return nil, err
	}
	if h.cat == nil {
		h.cat = schema.NewCatalog()
	}
	h.cat.SetTable(t)
	h.version++
	return h.cat.Table(db, name)
}

// apply follows a DDL statement of the stream. The history is kept only
// once some table needed it.
func (h *history) apply(defaultDB, sql string) error {
	if h.cat == nil {
		return nil
	}
	if err := h.cat.ApplyDDL(defaultDB, sql); err != nil {
		return err
	}
	h.version++
	return nil
}

// defs returns the history as TableDefs, rebuilt only after a change.
func (h *history) defs() []TableDef {
	if h.cat == nil {
		return nil
	}
	if h.defsVer == h.version {
		return h.cache
	}
	var out []TableDef
	dbs := h.cat.Databases()
	sort.Strings(dbs)
	for _, db := range dbs {
		names := h.cat.Tables(db)
		sort.Strings(names)
		for _, n := range names {
			if h.filter != nil && !h.filter(db, n) {
				continue
			}
			t, err := h.cat.Table(db, n)
			if err != nil || t == nil {
				continue
			}
			out = append(out, TableDefOf(t))
		}
	}
	h.cache, h.defsVer = out, h.version
	return out
}

// truncateTarget returns the table a TRUNCATE statement empties.
func truncateTarget(defaultDB string, q []byte) (db, name string, ok bool) {
	tables, ok := event.StatementTables(q)
	if !ok || len(tables) != 1 || tables[0].Table == "" {
		return "", "", false
	}
	db = tables[0].DB
	if db == "" {
		db = defaultDB
	}
	return db, tables[0].Table, true
}

// comparePos orders two binlog positions: file names by their numeric
// extension (then as text), then offsets.
func comparePos(f1 string, p1 uint64, f2 string, p2 uint64) int {
	if f1 != f2 {
		i1, i2 := strings.LastIndexByte(f1, '.'), strings.LastIndexByte(f2, '.')
		if i1 >= 0 && i2 >= 0 && f1[:i1] == f2[:i2] {
			e1, e2 := f1[i1+1:], f2[i2+1:]
			if len(e1) != len(e2) {
				if len(e1) < len(e2) {
					return -1
				}
				return 1
			}
		}
		return strings.Compare(f1, f2)
	}
	switch {
	case p1 < p2:
		return -1
	case p1 > p2:
		return 1
	}
	return 0
}

// loadTables reads the definitions of the captured tables from the server.
func loadTables(ctx context.Context, db *sql.DB, match func(db, name string) bool) ([]*schema.Table, error) {
	names, err := listTables(ctx, db, match)
	if err != nil {
		return nil, err
	}
	srv := schema.NewServer(ctx, db)
	var out []*schema.Table
	for _, n := range names {
		t, err := srv.Table(n[0], n[1])
		if err != nil {
			return nil, err
		}
		if t != nil {
			out = append(out, t)
		}
	}
	return out, nil
}

// listTables lists the base tables the filter keeps, outside the system
// databases, sorted.
func listTables(ctx context.Context, db *sql.DB, match func(db, name string) bool) ([][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES
		WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')
		ORDER BY TABLE_SCHEMA, TABLE_NAME`)
	if err != nil {
		return nil, fmt.Errorf("cdc: listing tables: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var d, n string
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		if match(d, n) {
			out = append(out, [2]string{d, n})
		}
	}
	return out, rows.Err()
}
