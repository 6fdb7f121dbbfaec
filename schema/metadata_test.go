package schema

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// observeRecorded shows m every Table_map of the recorded MariaDB binlogs
// (FULL metadata), in order, each decoded into a rowcodec.Table per table
// id as a reader of the stream does, and calls each after every Observe.
// With strip, the Table_maps lose their optional metadata first, as if
// logged with binlog_row_metadata=MINIMAL.
func observeRecorded(t *testing.T, m *Metadata, strip bool, each func(tab *rowcodec.Table)) {
	t.Helper()
	files, _ := filepath.Glob("../testdata/recorded/mariadb-10_11-full.00000?")
	if len(files) == 0 {
		t.Skip("no recorded binlogs")
	}
	tables := map[uint64]*rowcodec.Table{}
	for _, f := range files {
		src, err := binlog.OpenFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := binlog.NewReader(src)
		for {
			ev, err := r.Next(context.Background())
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			tm, ok := ev.Body.(*event.TableMap)
			if !ok {
				continue
			}
			if strip {
				tm.Optional = nil
			}
			tab := tables[tm.TableID]
			if tab == nil {
				tab = new(rowcodec.Table)
				tables[tm.TableID] = tab
			}
			if err := tab.Reset(tm); err != nil {
				t.Fatalf("%s at %d: %v", f, ev.Pos, err)
			}
			m.Observe(tab)
			if each != nil {
				each(tab)
			}
		}
		src.Close()
	}
}

// TestMetadataFromTableMaps: the definitions Metadata learns from the
// FULL Table_maps of the recording are the logged ones; each change of a
// table's shape (the evolve table's ALTERs) gives a new *Table and a new
// Generation, and leaves the *Table handed out before as it was.
func TestMetadataFromTableMaps(t *testing.T) {
	m := NewMetadata()
	var versions []*Table
	seen := map[*Table]bool{}
	observeRecorded(t, m, false, func(tab *rowcodec.Table) {
		def := m.Lookup(tab.Schema, tab.Name)
		if def == nil {
			t.Fatalf("%s.%s not learned", tab.Schema, tab.Name)
		}
		if got, want := ddlColNames(def), metaColNames(tab); got != want {
			t.Fatalf("%s.%s: %q, logged %q", tab.Schema, tab.Name, got, want)
		}
		if strings.HasPrefix(string(tab.Name), "evolve") && !seen[def] {
			seen[def] = true
			versions = append(versions, def)
		}
	})
	var got []string
	for _, v := range versions {
		got = append(got, v.Name+"/"+ddlColNames(v))
	}
	want := "evolve/id a b,evolve/id c a b,evolve/id c b,evolve/z id c b,evolved/z id c b"
	if strings.Join(got, ",") != want {
		t.Errorf("evolve versions %q, want %q", strings.Join(got, ","), want)
	}
	ints, err := m.Table("binlogkit", "ints")
	if err != nil || ints == nil || ints.Database != "binlogkit" || ints.Name != "ints" || len(ints.Columns) != 12 ||
		ints.Columns[2].Name != "tiu" || !ints.Columns[2].Unsigned || ints.Columns[1].Unsigned || len(ints.PrimaryKey) != 1 || ints.PrimaryKey[0] != 0 {
		t.Fatalf("ints: %+v, %v", ints, err)
	}
	if tab, err := m.Table("binlogkit", "nosuch"); tab != nil || err != nil {
		t.Errorf("unknown table: %v, %v", tab, err)
	}
	if m.Lookup([]byte("binlogkit"), []byte("ints")) != ints {
		t.Error("Lookup and Table differ")
	}
	db, name := []byte("binlogkit"), []byte("ints")
	if n := testing.AllocsPerRun(100, func() { m.Lookup(db, name) }); n != 0 {
		t.Errorf("Lookup allocates %v times", n)
	}
	if err := m.ApplyDDL("binlogkit", "DROP TABLE ints"); err != nil {
		t.Fatal(err)
	}
	if tab, _ := m.Table("binlogkit", "ints"); tab != ints {
		t.Error("ApplyDDL changed a definition")
	}
}

// TestMetadataGeneration: Generation moves only when a definition is
// stored, so that a caller may keep what it derived from Table while it
// stays the same.
func TestMetadataGeneration(t *testing.T) {
	m := NewMetadata()
	var last *rowcodec.Table
	observeRecorded(t, m, false, func(tab *rowcodec.Table) { last = tab })
	gen := m.Generation()
	if gen == 0 {
		t.Fatal("nothing stored")
	}
	def := m.Lookup(last.Schema, last.Name)
	// The same Table again, and a copy of its Table_map decoded anew.
	m.Observe(last)
	again := new(rowcodec.Table)
	again.Schema, again.Name, again.Columns, again.PrimaryKey = last.Schema, last.Name, last.Columns, last.PrimaryKey
	m.Observe(again)
	if m.Generation() != gen || m.Lookup(last.Schema, last.Name) != def {
		t.Errorf("an unchanged table changed the generation (%d, was %d) or the definition", m.Generation(), gen)
	}
	// A new shape: a new definition, a new generation.
	renamed := *again
	renamed.Columns = append([]rowcodec.Column(nil), last.Columns...)
	renamed.Columns[0].Name = []byte("renamed")
	m.Observe(&renamed)
	if m.Generation() != gen+1 {
		t.Errorf("generation %d after a change, want %d", m.Generation(), gen+1)
	}
	if now := m.Lookup(last.Schema, last.Name); now == def || now.Columns[0].Name != "renamed" || def.Columns[0].Name == "renamed" {
		t.Errorf("the change replaced nothing or changed the old definition: %q, old %q", now.Columns[0].Name, def.Columns[0].Name)
	}
	// Without every column's name: nothing learned.
	noNames := renamed
	noNames.Name = []byte("no_names")
	noNames.Columns = append([]rowcodec.Column(nil), last.Columns...)
	noNames.Columns[1].Name = nil
	m.Observe(&noNames)
	m.Observe(&rowcodec.Table{Schema: []byte("d"), Name: []byte("empty")})
	if m.Lookup(noNames.Schema, noNames.Name) != nil || m.Lookup([]byte("d"), []byte("empty")) != nil || m.Generation() != gen+1 {
		t.Error("a Table_map without names was learned")
	}
}

// TestMetadataWithoutNames: Table_maps logged without names (MINIMAL
// metadata) teach nothing.
func TestMetadataWithoutNames(t *testing.T) {
	m := NewMetadata()
	observeRecorded(t, m, true, nil)
	if m.Generation() != 0 {
		t.Errorf("generation %d", m.Generation())
	}
	if tab, _ := m.Table("binlogkit", "ints"); tab != nil {
		t.Errorf("learned %+v", tab)
	}
}

// TestMetadataClone: a clone knows the same definitions at the same
// generation and learns independently.
func TestMetadataClone(t *testing.T) {
	m := NewMetadata()
	var last *rowcodec.Table
	observeRecorded(t, m, false, func(tab *rowcodec.Table) { last = tab })
	c := m.Clone()
	if c.Generation() != m.Generation() || c.Lookup(last.Schema, last.Name) != m.Lookup(last.Schema, last.Name) {
		t.Fatal("the clone differs")
	}
	c.Observe(last) // compared again: the same shape, no change
	if c.Generation() != m.Generation() {
		t.Error("observing an unchanged table changed the clone's generation")
	}
	other := *last
	other.Name = []byte("other")
	c.Observe(&other)
	if c.Lookup(last.Schema, other.Name) == nil || m.Lookup(last.Schema, other.Name) != nil || m.Generation() == c.Generation() {
		t.Error("the clone's learning reached the original")
	}
}

func metaColNames(t *rowcodec.Table) string {
	var s []string
	for _, c := range t.Columns {
		s = append(s, string(c.Name))
	}
	return strings.Join(s, " ")
}
