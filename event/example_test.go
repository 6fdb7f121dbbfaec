package event_test

import (
	"encoding/binary"
	"fmt"
	"log"

	"github.com/binlogkit/binlogkit/event"
)

// Example_encode builds one QUERY event in a MySQL 8.0 format with CRC32
// checksums: Append fills in the header's type and size, and the checksum.
func Example_encode() {
	fd := event.NewFormatDescription("8.0.40", event.ChecksumCRC32)
	h := event.Header{Timestamp: 1763721000, ServerID: 1}
	raw, err := event.Append(nil, h, &event.Query{Schema: []byte("shop"), Query: []byte("BEGIN")}, fd)
	if err != nil {
		log.Fatal(err)
	}
	back, err := event.ParseHeader(raw)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back.Type, back.EventSize == uint32(len(raw)))
	// Output:
	// QUERY_EVENT true
}

// Example_decode decodes one event from its bytes: the common header, then
// the body between the header and the checksum, in the context of the
// format description in force.
func Example_decode() {
	fd := event.NewFormatDescription("10.11.19-MariaDB-log", event.ChecksumCRC32)
	raw, err := event.Append(nil, event.Header{Timestamp: 1763721000, ServerID: 1},
		&event.Query{Schema: []byte("shop"), Query: []byte("ALTER TABLE t ADD COLUMN w INT")}, fd)
	if err != nil {
		log.Fatal(err)
	}

	h, err := event.ParseHeader(raw)
	if err != nil {
		log.Fatal(err)
	}
	n := len(raw) - event.ChecksumLen // the format says events end with a CRC32
	if event.Checksum(raw[:n]) != binary.LittleEndian.Uint32(raw[n:]) {
		log.Fatal("checksum mismatch")
	}
	var d event.Decoder
	body, err := d.Decode(fd, h.Type, raw[event.HeaderLen:n])
	if err != nil {
		log.Fatal(err)
	}
	q := body.(*event.Query)
	st := q.Statement()
	fmt.Printf("%s %s: %s %v %v\n", h.Type, q.Schema, q.Query, st.Kind, st.Object)
	// Output:
	// QUERY_EVENT shop: ALTER TABLE t ADD COLUMN w INT DDL TABLE
}

func ExampleClassifyStatement() {
	for _, q := range []string{
		"BEGIN",
		"XA COMMIT 'x'",
		"/* app */ CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` VIEW v AS SELECT 1",
		"SET STATEMENT max_statement_time=10 FOR UPDATE t SET a = 1",
		"GRANT SELECT ON shop.* TO u",
	} {
		st := event.ClassifyStatement([]byte(q))
		switch {
		case st.Kind == event.StatementDDL:
			fmt.Println(st.Kind, st.Verb, st.Object)
		case st.XA:
			fmt.Println("XA", st.Kind)
		default:
			fmt.Println(st.Kind)
		}
	}
	// Output:
	// BEGIN
	// XA COMMIT
	// DDL CREATE VIEW
	// DML
	// other
}
