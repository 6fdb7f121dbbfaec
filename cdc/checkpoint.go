package cdc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/schema"
)

// Checkpoint is a place in the stream between two transactions, with
// everything a new Stream needs to deliver the next change and nothing
// twice: the binlog position and GTID set after the last transaction
// delivered, the schema history in force there, and the progress of an
// unfinished snapshot.
//
// A Checkpoint is saved as JSON (Marshal, ParseCheckpoint); its form is
// stable: fields are only ever added.
type Checkpoint struct {
	// File and Pos are the binlog file and the offset just past the last
	// event of the transaction.
	File string `json:"file"`
	Pos  uint64 `json:"pos"`
	// GTIDSet is the set of transactions up to here, in the server's text
	// form ("" when the server logs no GTIDs or the set is not known).
	GTIDSet string `json:"gtid_set,omitempty"`
	// ServerID is the id of the server the position belongs to, when known.
	ServerID uint32 `json:"server_id,omitempty"`
	// Snapshot is the progress of a snapshot that has not finished; nil
	// when none is running.
	Snapshot *SnapshotProgress `json:"snapshot,omitempty"`
	// Schema is the schema history: the definitions of the tables whose
	// Table_maps carry no column names (binlog_row_metadata=MINIMAL), as in
	// force at this position. Empty when every Table_map carried names.
	Schema []TableDef `json:"schema,omitempty"`
}

// SnapshotProgress is how far a snapshot got: the tables it reads, in
// order, the one in progress and the key of the last row of its last
// finished chunk.
type SnapshotProgress struct {
	// ID names the snapshot; its watermarks carry it.
	ID string `json:"id"`
	// Tables are the tables to read, "db.table", in order.
	Tables []string `json:"tables"`
	// Table is the index in Tables of the table in progress.
	Table int `json:"table"`
	// After holds the key of the last row emitted from that table (the
	// values of its key columns as the server prints them); nil when none
	// was emitted yet.
	After [][]byte `json:"after,omitempty"`
	// Rows counts the rows emitted so far, all tables together.
	Rows int64 `json:"rows"`
}

// TableDef is one table of the schema history: schema.Table in a stable
// JSON form.
type TableDef struct {
	Database   string      `json:"db"`
	Name       string      `json:"table"`
	Columns    []ColumnDef `json:"columns"`
	PrimaryKey []int       `json:"primary_key,omitempty"`
	UniqueKeys [][]int     `json:"unique_keys,omitempty"`
}

// ColumnDef is one column of a TableDef (see schema.Column).
type ColumnDef struct {
	Name      string `json:"name"`
	Type      string `json:"type,omitempty"`
	Generated bool   `json:"generated,omitempty"`
	Invisible bool   `json:"invisible,omitempty"`
	Unsigned  bool   `json:"unsigned,omitempty"`
	Charset   string `json:"charset,omitempty"`
}

// TableDefOf converts a schema definition.
func TableDefOf(t *schema.Table) TableDef {
	d := TableDef{Database: t.Database, Name: t.Name, PrimaryKey: append([]int(nil), t.PrimaryKey...)}
	for _, k := range t.UniqueKeys {
		d.UniqueKeys = append(d.UniqueKeys, append([]int(nil), k...))
	}
	for _, c := range t.Columns {
		d.Columns = append(d.Columns, ColumnDef{Name: c.Name, Type: c.Type, Generated: c.Generated, Invisible: c.Invisible, Unsigned: c.Unsigned, Charset: c.Charset})
	}
	return d
}

// Table converts d back to a schema definition.
func (d TableDef) Table() *schema.Table {
	t := &schema.Table{Database: d.Database, Name: d.Name, PrimaryKey: append([]int(nil), d.PrimaryKey...)}
	for _, k := range d.UniqueKeys {
		t.UniqueKeys = append(t.UniqueKeys, append([]int(nil), k...))
	}
	for _, c := range d.Columns {
		t.Columns = append(t.Columns, schema.Column{Name: c.Name, Type: c.Type, Generated: c.Generated, Invisible: c.Invisible, Unsigned: c.Unsigned, Charset: c.Charset})
	}
	return t
}

// String returns "file:pos" and the GTID set when there is one.
func (c Checkpoint) String() string {
	s := fmt.Sprintf("%s:%d", c.File, c.Pos)
	if c.GTIDSet != "" {
		s += " " + c.GTIDSet
	}
	return s
}

// IsZero reports whether c names no position.
func (c Checkpoint) IsZero() bool { return c.File == "" && c.GTIDSet == "" }

// Clone returns a deep copy of c.
func (c Checkpoint) Clone() Checkpoint {
	d := c
	if c.Snapshot != nil {
		s := *c.Snapshot
		s.Tables = append([]string(nil), s.Tables...)
		s.After = cloneLists(s.After)
		d.Snapshot = &s
	}
	if c.Schema != nil {
		d.Schema = make([]TableDef, len(c.Schema))
		for i, t := range c.Schema {
			d.Schema[i] = TableDefOf(t.Table())
		}
	}
	return d
}

// DialConfig returns base set to start where c says: after the transactions
// of its GTID set when it has one, else at its file and position.
func (c Checkpoint) DialConfig(base binlog.DialConfig) (binlog.DialConfig, error) {
	base.StartFile, base.StartPos, base.GTIDSet, base.FromCurrent = "", 0, nil, false
	if c.GTIDSet != "" {
		set, err := binlog.ParseGTIDSet(c.GTIDSet)
		if err != nil {
			return base, fmt.Errorf("cdc: checkpoint: %w", err)
		}
		base.GTIDSet = set
		return base, nil
	}
	if c.File == "" {
		return base, errors.New("cdc: checkpoint names no position")
	}
	base.StartFile, base.StartPos = c.File, c.Pos
	return base, nil
}

// Marshal returns c as JSON.
func (c Checkpoint) Marshal() []byte {
	b, err := json.Marshal(c)
	if err != nil { // only plain fields: cannot happen
		panic(err)
	}
	return b
}

// ParseCheckpoint reads a checkpoint written by Marshal. It checks what it
// can: a position or a GTID set, a GTID set that parses, snapshot progress
// within its table list, key indexes within their tables.
func ParseCheckpoint(b []byte) (Checkpoint, error) {
	var c Checkpoint
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&c); err != nil {
		return Checkpoint{}, fmt.Errorf("cdc: checkpoint: %w", err)
	}
	if dec.More() {
		return Checkpoint{}, errors.New("cdc: checkpoint: data after the JSON object")
	}
	if c.File == "" && c.GTIDSet == "" {
		return Checkpoint{}, errors.New("cdc: checkpoint names no position")
	}
	if c.GTIDSet != "" {
		if _, err := binlog.ParseGTIDSet(c.GTIDSet); err != nil {
			return Checkpoint{}, fmt.Errorf("cdc: checkpoint: %w", err)
		}
	}
	if s := c.Snapshot; s != nil {
		if s.Table < 0 || s.Table > len(s.Tables) {
			return Checkpoint{}, fmt.Errorf("cdc: checkpoint: snapshot table %d of %d", s.Table, len(s.Tables))
		}
		if s.Rows < 0 {
			return Checkpoint{}, errors.New("cdc: checkpoint: negative snapshot row count")
		}
	}
	for _, t := range c.Schema {
		if t.Database == "" || t.Name == "" {
			return Checkpoint{}, errors.New("cdc: checkpoint: schema table without a name")
		}
		for _, i := range t.PrimaryKey {
			if i < 0 || i >= len(t.Columns) {
				return Checkpoint{}, fmt.Errorf("cdc: checkpoint: %s.%s: key column %d of %d", t.Database, t.Name, i, len(t.Columns))
			}
		}
		for _, k := range t.UniqueKeys {
			for _, i := range k {
				if i < 0 || i >= len(t.Columns) {
					return Checkpoint{}, fmt.Errorf("cdc: checkpoint: %s.%s: key column %d of %d", t.Database, t.Name, i, len(t.Columns))
				}
			}
		}
	}
	return c, nil
}

// ReadCheckpointFile reads the checkpoint file at path. A missing file is
// not an error: it returns (nil, nil), a first run.
func ReadCheckpointFile(path string) (*Checkpoint, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := ParseCheckpoint(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &c, nil
}

// WriteCheckpointFile replaces the checkpoint file at path with c,
// atomically and durably: a temporary file beside it is written, synced and
// renamed over it, and the directory is synced.
func WriteCheckpointFile(path string, c Checkpoint) error {
	if err := writeFileAtomic(path, append(c.Marshal(), '\n')); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir fsyncs a directory, making a rename in it durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
