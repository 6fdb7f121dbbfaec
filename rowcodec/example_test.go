package rowcodec_test

import (
	"context"
	"fmt"
	"log"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

// Example decodes the rows of a binlog: a Tables gives each rows event the
// Table of its Table_map, and two reused []Value hold the images.
func Example() {
	src, err := binlog.OpenFile("../testdata/recorded/mariadb-10_11-full.000003")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src)
	var tables rowcodec.Tables
	before, after := make([]rowcodec.Value, 4096), make([]rowcodec.Value, 4096)
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		if b, ok := ev.Body.(*event.Rows); ok {
			t, err := tables.ForRows(ev) // the Table_map in force, decoded once per shape
			if err != nil {
				log.Fatal(err)
			}
			it := t.Rows(b, before, after)
			for it.Next() {
				fmt.Printf("%s %s:", b.Kind(), t.Name)
				for _, img := range [][]rowcodec.Value{it.Before, it.After} {
					for i, v := range img {
						text, err := v.AppendSQL(nil, &t.Columns[i])
						if err != nil {
							log.Fatal(err)
						}
						fmt.Printf(" %s=%s", t.Columns[i].Name, text) // as SQL literals
					}
				}
				fmt.Println()
			}
			if err := it.Err(); err != nil {
				log.Fatal(err)
			}
		}
	}
	// Output:
	// WRITE nopk: a=3 b='restart'
	// WRITE ints: id=100 ti=NULL tiu=NULL si=NULL siu=NULL mi=NULL miu=NULL i=100 iu=NULL bi=NULL biu=NULL bool_=NULL
	// UPDATE tx: id=2 v='committed too' id=2 v='after restart'
	// DELETE geo: id=2 g=ST_GeomFromWKB(X'0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000', 3857) p=NULL pg=NULL ls=NULL mp=NULL gc=NULL
}

// ExampleTables follows the Table_maps of a binlog by table id, as a program
// that sees the TABLE_MAP events itself does, and looks the rows events'
// tables up by id.
func ExampleTables() {
	src, err := binlog.OpenFile("../testdata/recorded/mariadb-10_11-full.000003")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	var tables rowcodec.Tables
	seen := map[string]bool{}
	for ev, err := range binlog.NewReader(src).Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.TableMap:
			if _, err := tables.Update(b); err != nil {
				log.Fatal(err)
			}
		case *event.Rows:
			if t := tables.Table(b.TableID); t != nil && !seen[string(t.Name)] {
				seen[string(t.Name)] = true
				fmt.Printf("%s.%s: %d columns, key %v\n", t.Schema, t.Name, len(t.Columns), t.PrimaryKey)
			}
		}
	}
	// Output:
	// binlogkit.nopk: 2 columns, key []
	// binlogkit.ints: 12 columns, key [0]
	// binlogkit.tx: 2 columns, key [0]
	// binlogkit.geo: 7 columns, key [0]
}
