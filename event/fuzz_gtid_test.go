package event

import (
	"encoding/hex"
	"testing"
)

func fuzzHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzGTID covers the MySQL GTID family (GTID, ANONYMOUS_GTID, GTID_TAGGED,
// PREVIOUS_GTIDS) with the invariants of fuzzBodies: no panic, and a body
// that decodes re-encodes to a fixed point.
func FuzzGTID(f *testing.F) {
	extra := [][]byte{
		fuzzHex("01" + testSID + "0300000000000000"),
		fuzzHex("01" + testSID + "0300000000000000" + "02" + "0500000000000000" + "0600000000000000" + "e5d4c3b2a1d085" + "01020304050607" + "7b" + "a0380180" + "10390100" + "0900000000000000"),
		fuzzHex("025800" + "0002" + "0222222222444466668888aaaaaaaaaaaa" + "0414" + "060861616161" + "0800" + "0a04" + "0ca10f" + "102103" + "1283d009"),
		fuzzHex("01030000000000013e11fa4771ca11e19e33c80aa942956200010000000000000001000000000000000500000000000000"),
	}
	fuzzBodies(f, extra, GTIDEvent, AnonymousGTIDEvent, GTIDTaggedEvent, PreviousGTIDsEvent)
}

// FuzzMariaGTID covers the MariaDB GTID family (GTID, GTID_LIST,
// BINLOG_CHECKPOINT, ANNOTATE_ROWS, START_ENCRYPTION).
func FuzzMariaGTID(f *testing.F) {
	extra := [][]byte{
		fuzzHex("640000000000000002000000" + "44" + "01000000" + "02" + "01" + "616263" + "05" + "02" + "0500000000000000"),
		fuzzHex("640000000000000002000000" + "0c" + "10" + "2a000000" + "00"),
		fuzzHex("02000020" + "00000000010000006400000000000000" + "0500000002000000" + "0700000000000000"),
		fuzzHex("0500000062696e2e31"),
		fuzzHex("01070000000102030405060708090a0b0c"),
	}
	fuzzBodies(f, extra, MariaGTIDEvent, MariaGTIDListEvent, MariaBinlogCheckpointEvent, MariaAnnotateRowsEvent, MariaStartEncryptionEvent)
}
