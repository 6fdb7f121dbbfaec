package event

import (
	"bytes"
	"compress/zlib"
	"errors"
	"slices"
	"testing"
)

// queryBody builds a QUERY body from its parts.
func queryBody(status []byte, schema, query string) []byte {
	b := []byte{7, 0, 0, 0, 2, 0, 0, 0, byte(len(schema)), 0x15, 0x04, byte(len(status)), byte(len(status) >> 8)}
	b = append(b, status...)
	b = append(append(b, schema...), 0)
	return append(b, query...)
}

func TestQueryAllStatusVars(t *testing.T) {
	status := []byte{
		0, 1, 2, 3, 4, // Q_FLAGS2
		1, 1, 0, 0, 0, 0, 0, 0, 0x80, // Q_SQL_MODE
		2, 3, 's', 't', 'd', 0, // Q_CATALOG (old, NUL)
		3, 2, 0, 1, 0, // Q_AUTO_INCREMENT
		4, 0x21, 0, 0x21, 0, 0x08, 0, // Q_CHARSET
		5, 6, 'S', 'Y', 'S', 'T', 'E', 'M', // Q_TIME_ZONE
		7, 1, 0, // Q_LC_TIME_NAMES
		8, 0x2d, 0, // Q_CHARSET_DATABASE
		9, 1, 2, 3, 4, 5, 6, 7, 8, // Q_TABLE_MAP_FOR_UPDATE
		10, 0x10, 0, 0, 0, // Q_MASTER_DATA_WRITTEN
		11, 4, 'r', 'o', 'o', 't', 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', // Q_INVOKER
		12, 2, 'd', '1', 0, 'd', '2', 0, // Q_UPDATED_DB_NAMES
		13, 0x40, 0x42, 0x0f, // Q_MICROSECONDS
		14, 1, 0, 0, 0, 0, 0, 0, 0, // Q_COMMIT_TS
		15, 2, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, // Q_COMMIT_TS2
		16, 1, // Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP
		17, 9, 0, 0, 0, 0, 0, 0, 0, // Q_DDL_LOGGED_WITH_XID
		18, 0xff, 0, // Q_DEFAULT_COLLATION_FOR_UTF8MB4
		19, 1, // Q_SQL_REQUIRE_PRIMARY_KEY
		20, 0, // Q_DEFAULT_TABLE_ENCRYPTION
		128, 0x01, 0x02, 0x03, // Q_HRNOW
		129, 0x2a, 0, 0, 0, 0, 0, 0, 0, // Q_XID
		130, 4, 5, 0, 0, 0, 0, 0, 0, 0, // Q_GTID_FLAGS3 with COMMIT ALTER
		131, 1, 0x2d, 0, 0xe0, 0, // Q_CHARACTER_SET_COLLATIONS
	}
	body := queryBody(status, "test", "CREATE TABLE t (a INT)")
	q := roundTrip(t, DefaultFormat(), QueryEvent, body).(*Query)
	s := &q.Status
	if q.ThreadID != 7 || q.ExecTime != 2 || q.ErrorCode != 0x415 || string(q.Schema) != "test" || string(q.Query) != "CREATE TABLE t (a INT)" {
		t.Fatalf("post-header/text: %+v", q)
	}
	var names []string
	for n := range s.UpdatedDBNames() {
		names = append(names, string(n))
	}
	cs, coll := s.CharsetCollation(0)
	checks := []struct {
		name string
		ok   bool
	}{
		{"flags2", s.Flags2 == 0x04030201},
		{"sql_mode", s.SQLMode == 0x8000000000000001},
		{"catalog", string(s.Catalog) == "std"},
		{"auto_inc", s.AutoIncrementIncrement == 2 && s.AutoIncrementOffset == 1},
		{"charset", s.CharsetClient == 33 && s.CollationConnection == 33 && s.CollationServer == 8},
		{"tz", string(s.TimeZone) == "SYSTEM"},
		{"lc", s.LCTimeNames == 1},
		{"charset_db", s.CharsetDatabase == 45},
		{"tmfu", s.TableMapForUpdate == 0x0807060504030201},
		{"mdw", s.MasterDataWritten == 16},
		{"invoker", string(s.InvokerUser) == "root" && string(s.InvokerHost) == "localhost"},
		{"dbs", s.UpdatedDBCount == 2 && slices.Equal(names, []string{"d1", "d2"})},
		{"usec", s.Microseconds == 1000000},
		{"commit_ts", s.CommitTS == 1 && s.CommitTS2 == [2]uint64{2, 3}},
		{"edts", s.ExplicitDefaultsForTimestamp == 1},
		{"ddl_xid", s.DDLXID == 9},
		{"utf8mb4", s.DefaultCollationForUTF8MB4 == 255},
		{"pk", s.SQLRequirePrimaryKey == 1 && s.DefaultTableEncryption == 0},
		{"hrnow", s.HRNow == 0x030201},
		{"xid", s.XID == 42},
		{"flags3", s.GTIDFlags3 == 4 && s.StartAlterSeqNo == 5},
		{"collations", cs == 45 && coll == 224},
		{"order", len(s.Codes()) == 24 && s.Codes()[0] == QFlags2 && s.Codes()[2] == QCatalog && s.Codes()[23] == QCharacterSetCollations},
		{"unknown", s.Unknown == nil},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: wrong value: %+v", c.name, *s)
		}
	}
}

// TESTCASES.md #6: Q_UPDATED_DB_NAMES with count 254 (over the maximum) and
// no names; DDL text in GBK bytes.
func TestQueryUpdatedDBNamesOverMax(t *testing.T) {
	gbk := "CREATE TABLE `\xb1\xed` (a INT) COMMENT '\xd6\xd0\xce\xc4'"
	body := queryBody([]byte{0, 0, 0, 0, 0, 12, 254, 13, 1, 0, 0}, "db", gbk)
	q := roundTrip(t, DefaultFormat(), QueryEvent, body).(*Query)
	if q.Status.UpdatedDBCount != OverMaxDBs || q.Status.UpdatedDBs != nil || q.Status.Microseconds != 1 {
		t.Fatalf("status: %+v", q.Status)
	}
	for range q.Status.UpdatedDBNames() {
		t.Fatal("names yielded for an over-max count")
	}
	if string(q.Query) != gbk {
		t.Fatalf("query text changed: %q", q.Query)
	}
}

func TestQueryUnknownStatusVarKeepsTail(t *testing.T) {
	status := []byte{0, 1, 0, 0, 0, 99, 0xde, 0xad, 4, 1, 0, 1, 0, 1, 0}
	body := queryBody(status, "s", "SELECT 1")
	q := roundTrip(t, DefaultFormat(), QueryEvent, body).(*Query)
	if !bytes.Equal(q.Status.Unknown, status[5:]) || len(q.Status.Codes()) != 1 || q.Status.Flags2 != 1 {
		t.Fatalf("status: %+v", q.Status)
	}
	if string(q.Schema) != "s" || string(q.Query) != "SELECT 1" {
		t.Fatalf("schema %q query %q", q.Schema, q.Query)
	}
}

func TestQueryCorrupt(t *testing.T) {
	for name, body := range map[string][]byte{
		"short post-header": {1, 2, 3},
		"status too long":   queryBody([]byte{0, 1}, "", "x")[:13],
		"status var cut":    queryBody([]byte{1, 1, 2}, "", "x"),
		"db name no NUL":    queryBody([]byte{12, 1, 'a', 'b'}, "", "x"),
		"schema past end":   {0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 'a'},
		"repeated var":      queryBody([]byte{0, 1, 0, 0, 0, 0, 1, 0, 0, 0}, "", "x"),
	} {
		var q Query
		if err := q.DecodeBody(DefaultFormat(), QueryEvent, body); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: got %v, want ErrCorrupt", name, err)
		}
	}
}

func TestQueryBinlogV3(t *testing.T) {
	f := &FormatDescription{BinlogVersion: 3, HeaderLength: 19, PostHeaderLengths: []byte{56, 11}}
	body := []byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 'd', 0, 'S', 'E', 'L'}
	q := roundTrip(t, f, QueryEvent, body).(*Query)
	if !q.NoStatusVars || string(q.Schema) != "d" || string(q.Query) != "SEL" {
		t.Fatalf("%+v", q)
	}
}

func TestQueryFabricated(t *testing.T) {
	q := &Query{ThreadID: 5, Schema: []byte("shop"), Query: []byte("BEGIN")}
	q.Status.Flags2 = 0x4000
	q.Status.Add(QFlags2)
	q.Status.CharsetClient, q.Status.CollationConnection, q.Status.CollationServer = 45, 45, 255
	q.Status.Add(QCharset)
	q.Status.UpdatedDBCount, q.Status.UpdatedDBs = 1, []byte("shop\x00")
	q.Status.Add(QUpdatedDBNames)
	enc, err := q.AppendBody(nil, DefaultFormat())
	if err != nil {
		t.Fatal(err)
	}
	back := roundTrip(t, DefaultFormat(), QueryEvent, enc).(*Query)
	if back.Statement().Kind != StatementBegin || back.Status.Flags2 != 0x4000 || back.Status.CollationServer != 255 || !slices.Equal(back.Status.Codes(), []StatusVar{QFlags2, QCharset, QUpdatedDBNames}) {
		t.Fatalf("%+v", back)
	}
	q.Status.Remove(QCharset)
	if q.Status.Has(QCharset) || !q.Status.Has(QUpdatedDBNames) {
		t.Fatal("Remove")
	}
	if QSQLMode.String() != "Q_SQL_MODE_CODE" || StatusVar(99).String() != "Q_CODE_99" || UserVarDecimal.String() != "DECIMAL" {
		t.Fatal("String")
	}
}

// mariaRecord builds a compressed record independently of the encoder.
func mariaRecord(t *testing.T, text []byte, lenlen int) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(text)
	w.Close()
	rec := []byte{0x80 | byte(lenlen)}
	for i := lenlen - 1; i >= 0; i-- {
		rec = append(rec, byte(len(text)>>(8*i)))
	}
	return append(rec, z.Bytes()...)
}

// TESTCASES.md #10: MariaDB compressed query events.
func TestQueryCompressed(t *testing.T) {
	f := NewFormatDescription("10.5.15-MariaDB-log", ChecksumCRC32)
	text := bytes.Repeat([]byte("INSERT INTO t VALUES (1);"), 20)
	body := queryBody([]byte{0, 0, 0, 0, 0}, "test", "")
	body = append(body, mariaRecord(t, text, 2)...)
	q := roundTrip(t, f, MariaQueryCompressedEvent, body).(*Query)
	if !bytes.Equal(q.Query, text) || q.EventType() != MariaQueryCompressedEvent || string(q.Schema) != "test" {
		t.Fatalf("decoded %q", q.Query)
	}

	// Fabricated: the encoder's record must be what MariaDB's format reads.
	fab := &Query{Type: MariaQueryCompressedEvent, Schema: []byte("d"), Query: []byte("DROP TABLE t")}
	enc, err := fab.AppendBody(nil, f)
	if err != nil {
		t.Fatal(err)
	}
	rec := enc[len(enc)-len(enc)+13+2:]
	if rec[0] != 0x81 || rec[1] != 12 {
		t.Fatalf("record header %x", rec[:2])
	}
	zr, err := zlib.NewReader(bytes.NewReader(rec[2:]))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	out.ReadFrom(zr)
	if out.String() != "DROP TABLE t" {
		t.Fatalf("zlib stream holds %q", out.String())
	}
	back := roundTrip(t, f, MariaQueryCompressedEvent, enc).(*Query)
	if string(back.Query) != "DROP TABLE t" {
		t.Fatalf("%q", back.Query)
	}

	// Bounds: a declared length over the limit is refused before inflating,
	// and the declared length must match.
	huge := append(queryBody(nil, "", ""), 0x84, 0xff, 0xff, 0xff, 0xff, 0x78, 0x9c)
	var h Query
	if err := h.DecodeBody(f, MariaQueryCompressedEvent, huge); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("huge: %v", err)
	}
	h.MaxUncompressed = 100
	if err := h.DecodeBody(f, MariaQueryCompressedEvent, body); !errors.Is(err, ErrCorrupt) || h.MaxUncompressed != 100 {
		t.Fatalf("over caller limit: %v", err)
	}
	bad := queryBody(nil, "", "")
	bad = append(bad, mariaRecord(t, text, 2)...)
	bad[13+2] ^= 1 // declared length off by one
	if err := new(Query).DecodeBody(f, MariaQueryCompressedEvent, bad); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("length mismatch: %v", err)
	}
	alg := append(queryBody(nil, "", ""), 0x91, 1, 0)
	if err := new(Query).DecodeBody(f, MariaQueryCompressedEvent, alg); !errors.Is(err, ErrUnsupported) {
		t.Fatalf("algorithm: %v", err)
	}
}

func TestQueryDecodeAllocs(t *testing.T) {
	body := queryBody([]byte{0, 0, 0, 0, 0, 12, 1, 'a', 0, 4, 8, 0, 8, 0, 8, 0}, "test", "INSERT INTO t VALUES (1)")
	var d Decoder
	f := DefaultFormat()
	if n := testing.AllocsPerRun(100, func() {
		if _, err := d.Decode(f, QueryEvent, body); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Fatalf("%v allocations per decode", n)
	}
	cf := NewFormatDescription("10.5.15-MariaDB-log", ChecksumOff)
	cbody := append(queryBody(nil, "", ""), mariaRecord(t, bytes.Repeat([]byte("x"), 5000), 2)...)
	d.Decode(cf, MariaQueryCompressedEvent, cbody)
	if n := testing.AllocsPerRun(20, func() {
		if _, err := d.Decode(cf, MariaQueryCompressedEvent, cbody); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Fatalf("%v allocations per compressed decode", n)
	}
}

// corpusFind returns the n-th (0-based) event of type typ in file.
func corpusFind(t *testing.T, file string, typ Type, n int) corpusEvent {
	t.Helper()
	var found *corpusEvent
	walkCorpus(t, func(ev corpusEvent) {
		if found == nil && ev.File == file && ev.Header.Type == typ {
			if n == 0 {
				ev.Raw = bytes.Clone(ev.Raw)
				ev.Body = ev.Raw[HeaderLen : HeaderLen+len(ev.Body)]
				found = &ev
			}
			n--
		}
	})
	if found == nil {
		t.Skipf("%s: no %v event in the corpus", file, typ)
	}
	return *found
}

// TestQueryCorpusValues checks decoded values against what mariadb-binlog
// prints for the same events.
func TestQueryCorpusValues(t *testing.T) {
	// bug33029-slave-relay-bin.000001 "# at 236": thread_id=2, use `test`.
	ev := corpusFind(t, "bug33029-slave-relay-bin.000001", QueryEvent, 0)
	var q Query
	if err := q.DecodeBody(ev.Format, QueryEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	if ev.Pos != 236 || q.ThreadID != 2 || q.ExecTime != 0 || q.ErrorCode != 0 || string(q.Schema) != "test" {
		t.Fatalf("@%d: %+v", ev.Pos, q)
	}
	// bug32407.001 first QUERY: CREATE TABLE, Q_UPDATED_DB_NAMES "test",
	// catalog "std", charset 33/33/8 (utf8 client, latin1 server).
	ev = corpusFind(t, "bug32407.001", QueryEvent, 0)
	if err := q.DecodeBody(ev.Format, QueryEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	var dbs []string
	for n := range q.Status.UpdatedDBNames() {
		dbs = append(dbs, string(n))
	}
	if string(q.Query) != "CREATE TABLE t1 (a int) engine = myisam" || string(q.Status.Catalog) != "std" ||
		q.Status.CharsetClient != 33 || q.Status.CollationServer != 8 || !slices.Equal(dbs, []string{"test"}) ||
		q.Status.SQLMode != 0x40000000 {
		t.Fatalf("%+v %q", q.Status, q.Query)
	}
	// rpl_cross_version_default_utf8mb4_collation.000001 first QUERY:
	// pseudo_thread_id=3, sql_mode=1436549152, latin1 client, collations 8/8.
	ev = corpusFind(t, "rpl_cross_version_default_utf8mb4_collation.000001", QueryEvent, 0)
	if err := q.DecodeBody(ev.Format, QueryEvent, ev.Body); err != nil {
		t.Fatal(err)
	}
	if q.ThreadID != 3 || q.Status.SQLMode != 1436549152 || q.Status.CharsetClient != 8 ||
		q.Status.CollationConnection != 8 || q.Status.CollationServer != 8 {
		t.Fatalf("%d %+v", q.ThreadID, q.Status)
	}
}

// TESTCASES.md #1: the garbage QUERY at the end of corrupt-relay-bin.000624
// is reported as corrupt, never a panic.
func TestQueryCorruptRelayLog(t *testing.T) {
	walkCorpus(t, func(ev corpusEvent) {
		if ev.File == "corrupt-relay-bin.000624" && ev.Pos == 91204 {
			var q Query
			if err := q.DecodeBody(ev.Format, ev.Header.Type, ev.Body); !errors.Is(err, ErrCorrupt) {
				t.Errorf("got %v, want ErrCorrupt", err)
			}
		}
	})
}

func TestQueryClone(t *testing.T) {
	body := queryBody([]byte{5, 3, 'U', 'T', 'C', 12, 1, 'a', 0}, "db", "SELECT 1")
	var q Query
	if err := q.DecodeBody(DefaultFormat(), QueryEvent, body); err != nil {
		t.Fatal(err)
	}
	c := q.Clone()
	for i := range body {
		body[i] = 'X'
	}
	if string(c.Query) != "SELECT 1" || string(c.Schema) != "db" || string(c.Status.TimeZone) != "UTC" ||
		!c.Status.Has(QUpdatedDBNames) || string(c.Status.UpdatedDBs) != "a\x00" {
		t.Fatalf("clone shares memory: %+v", c)
	}
}
