package binlog_test

import (
	"context"
	"fmt"
	"log"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// An encrypted MariaDB binlog (encrypt_binlog=ON), read offline with the
// server's key file (file_key_management_filename). The events come
// decrypted, at their positions in the file; the cipher (AES-CBC here) is
// found from the first encrypted event's checksum.
func ExampleWithKeys() {
	var keys binlog.Keys
	if err := keys.ReadMariaDBKeyFile("../testdata/encrypted/keys.txt", ""); err != nil {
		log.Fatal(err)
	}
	src, err := binlog.OpenFile("../testdata/encrypted/mariadb-10_11-enc-cbc.000002")
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	r := binlog.NewReader(src, binlog.WithKeys(&keys))
	for ev, err := range r.Events(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
		switch b := ev.Body.(type) {
		case *event.Query:
			if b.Statement().Kind != event.StatementBegin {
				fmt.Printf("%d: %s\n", ev.Pos, b.Query)
			}
		case *event.Rows:
			fmt.Printf("%d: %v on %s.%s\n", ev.Pos, b.Kind(), ev.Table.Schema, ev.Table.Table)
		}
	}
	// Output:
	// 648: UPDATE on shop.orders
	// 1031: DELETE on shop.audit
	// 1149: ALTER TABLE orders ADD COLUMN carrier VARCHAR(20) NULL AFTER status
	// 1549: UPDATE on shop.orders
}
