package mask_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/mask"
	"github.com/binlogkit/binlogkit/rowcodec"
)

func Example() {
	// A binlog with one row of a users table.
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "users",
		binlogtest.Column{Name: "id", Type: event.ColumnTypeLong},
		binlogtest.Column{Name: "phone", Type: event.ColumnTypeVarchar, Meta: 80},
		binlogtest.Column{Name: "password", Type: event.ColumnTypeVarchar, Meta: 80},
		binlogtest.Column{Name: "note", Type: event.ColumnTypeVarchar, Meta: 400},
	).Insert(1, []rowcodec.Value{
		rowcodec.IntValue(7),
		rowcodec.StringValue([]byte("13812345678"), 0),
		rowcodec.StringValue([]byte("hunter2"), 0),
		rowcodec.StringValue([]byte("call 13900001111 or mail bob@example.com"), 0),
	}).XID()
	data, err := s.Bytes()
	if err != nil {
		log.Fatal(err)
	}

	cfg, err := mask.ParseRules([]byte(`
rules:
  - column: "shop.users.phone"
    action: keep_last
    keep: 4
  - column: "*.password"
    action: redact
  - value: phone
    action: fixed
    replacement: "<phone>"
  - value: email
    action: redact
`))
	if err != nil {
		log.Fatal(err)
	}
	m, err := mask.New(cfg)
	if err != nil {
		log.Fatal(err)
	}

	r := binlog.NewReader(binlog.NewStreamSource(io.NopCloser(bytes.NewReader(data)), "example"))
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		if ev, err = m.Apply(ev); err != nil {
			log.Fatal(err)
		}
		rows, ok := ev.Body.(*event.Rows)
		if !ok {
			continue
		}
		t, err := rowcodec.NewTable(ev.Table)
		if err != nil {
			log.Fatal(err)
		}
		vals := make([]rowcodec.Value, len(t.Columns))
		it := t.Rows(rows, nil, vals)
		for it.Next() {
			for i, v := range it.After {
				text, _ := v.AppendText(nil, &t.Columns[i])
				fmt.Printf("%s=%s\n", t.Columns[i].Name, text)
			}
		}
		if err := it.Err(); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// id=7
	// phone=*******5678
	// password=***
	// note=call <phone> or mail ***
}

// A Source masks for consumers that take a Source or a Reader: here a
// Reader over the masked stream of a recorded binlog prints the statements
// of its ANNOTATE_ROWS events, whose literals a column rule hides.
func ExampleMasker_Source() {
	cfg, err := mask.ParseRules([]byte(`
rules:
  - column: "shop.users.password"
    action: redact
`))
	if err != nil {
		log.Fatal(err)
	}
	m, err := mask.New(cfg)
	if err != nil {
		log.Fatal(err)
	}
	r := binlog.NewReader(m.Source(binlog.OpenFiles("../testdata/recorded/mariadb-10_11-sensitive.000001")))
	n := 0
	for {
		ev, err := r.Next(context.Background())
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		if a, ok := ev.Body.(*event.MariaAnnotateRows); ok && n < 2 {
			n++
			fmt.Printf("at %d: %.60s\n", ev.Pos, bytes.ReplaceAll(a.Query, []byte("\n"), []byte(" ")))
		}
	}
	// Output:
	// at 1242: INSERT INTO users VALUES   (0, '***', '***', '***', '***', '
	// at 2842: INSERT INTO orders VALUES   (100, 1, 'SKU-1', 19.99, 'ship f
}
