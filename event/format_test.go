package event

import (
	"bytes"
	"testing"
)

// TestCase3FormatDescriptionVariants is TESTCASES 3: 5.0/5.1 (no checksum
// byte), 5.6.1+ (algorithm byte), MariaDB (long post-header array), Aurora
// (a longer array again), 8.0 and 9.x (one more entry). Checksum presence is
// decided by each file's own FDE.
func TestCase3FormatDescriptionVariants(t *testing.T) {
	for _, tc := range []struct {
		version  string
		nPost    int
		alg      ChecksumAlg
		aware    bool
		flavor   Flavor
		queryPH  int
		rowsV2PH int
	}{
		{"5.0.86-log", 18, ChecksumUndefined, false, MySQL, 13, 0}, // no v2 rows: the default
		{"5.1.73-log", 27, ChecksumUndefined, false, MySQL, 13, 0},
		{"5.6.0-m4", 35, ChecksumUndefined, false, MySQL, 13, 10},
		{"5.6.1-m5", 35, ChecksumCRC32, true, MySQL, 13, 10},
		{"5.6.41-log", 35, ChecksumOff, true, MySQL, 13, 10},
		{"10.5.15-MariaDB-log", 168, ChecksumCRC32, true, MariaDB, 13, 10},
		{"8.0.28-mysql_aurora.3.02", 160, ChecksumCRC32, true, MySQL, 13, 10},
		{"8.0.40", 41, ChecksumCRC32, true, MySQL, 13, 10},
		{"9.1.0", 42, ChecksumCRC32, true, MySQL, 13, 10},
	} {
		ph := make([]byte, tc.nPost)
		copy(ph, mysql80PostHeader)
		fd := &FormatDescription{BinlogVersion: 4, ServerVersion: appendFixed(nil, []byte(tc.version), serverVersionLen),
			HeaderLength: HeaderLen, PostHeaderLengths: ph, ChecksumAlg: tc.alg}
		ev, err := Append(nil, Header{Timestamp: 1, ServerID: 1}, fd, DefaultFormat())
		if err != nil {
			t.Fatal(err)
		}
		rest := ev[HeaderLen:]
		if got := VersionChecksumAware(fd.ServerVersion); got != tc.aware {
			t.Errorf("%s: checksum aware %v, want %v", tc.version, got, tc.aware)
		}
		if n := FormatDescriptionBodyLen(rest); tc.aware && n != len(rest)-ChecksumLen || !tc.aware && n != len(rest) {
			t.Errorf("%s: body length %d of %d", tc.version, n, len(rest))
		}
		var got FormatDescription
		if err := got.DecodeBody(nil, FormatDescriptionEvent, rest[:FormatDescriptionBodyLen(rest)]); err != nil {
			t.Fatalf("%s: %v", tc.version, err)
		}
		if got.ChecksumAlg != tc.alg || len(got.PostHeaderLengths) != tc.nPost || got.Version() != tc.version || got.Flavor() != tc.flavor {
			t.Errorf("%s: decoded alg %v, %d post-header lengths, version %q, flavor %v", tc.version, got.ChecksumAlg, len(got.PostHeaderLengths), got.Version(), got.Flavor())
		}
		if got.PostHeaderLen(QueryEvent, 0) != tc.queryPH || got.PostHeaderLen(WriteRowsEventV2, 0) != tc.rowsV2PH {
			t.Errorf("%s: post-header lengths QUERY %d, rows v2 %d", tc.version, got.PostHeaderLen(QueryEvent, 0), got.PostHeaderLen(WriteRowsEventV2, 0))
		}
		if got.PostHeaderLen(Type(250), -1) != -1 {
			t.Errorf("%s: a type beyond the array must give the default", tc.version)
		}
		again, _ := Append(nil, Header{Timestamp: 1, ServerID: 1}, &got, DefaultFormat())
		if !bytes.Equal(again, ev) {
			t.Errorf("%s: re-encoding differs", tc.version)
		}
	}
}

// TestCase4FDEChecksumInUseFlag: servers compute the FDE's CRC32 with the
// in-use flag clear, and clear the flag in place when the file is closed
// without rewriting the checksum, so both forms verify with the same CRC.
func TestCase4FDEChecksumInUseFlag(t *testing.T) {
	fd := NewFormatDescription("8.0.40", ChecksumCRC32)
	closed, _ := Append(nil, Header{Timestamp: 1, ServerID: 1}, fd, nil)
	open, _ := Append(nil, Header{Timestamp: 1, ServerID: 1, Flags: FlagBinlogInUse}, fd, nil)
	n := len(closed) - ChecksumLen
	if !bytes.Equal(closed[n:], open[n:]) {
		t.Fatalf("checksums differ: %x vs %x", closed[n:], open[n:])
	}
	if Checksum(open[:n]) != Checksum(closed[:n]) {
		t.Fatal("Checksum does not ignore the in-use flag of an FDE")
	}
	// For any other type the flag bit counts like any other byte.
	x, _ := Append(nil, Header{Flags: 1}, &XID{XID: 1}, fd)
	y, _ := Append(nil, Header{}, &XID{XID: 1}, fd)
	if bytes.Equal(x[len(x)-4:], y[len(y)-4:]) {
		t.Error("a non-FDE checksum ignored its flags")
	}
}

func TestTypeNames(t *testing.T) {
	if WriteRowsEventV2.String() != "WRITE_ROWS_EVENT" || Type(99).String() != "UNKNOWN_EVENT_99" || MariaGTIDListEvent.String() != "GTID_LIST_EVENT" {
		t.Error("type names")
	}
	if typ, ok := TypeByName("TABLE_MAP_EVENT"); !ok || typ != TableMapEvent {
		t.Error("TypeByName")
	}
	for typ := range 256 {
		tt := Type(typ)
		_ = tt.String()
		if tt.IsRows() != (tt.RowsKind() != RowsNone) {
			t.Errorf("%v: IsRows %v, RowsKind %v", tt, tt.IsRows(), tt.RowsKind())
		}
	}
}
