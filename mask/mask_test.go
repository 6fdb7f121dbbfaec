package mask

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

func hmacHex(s string, n int) string {
	h := hmac.New(sha256.New, []byte("test key"))
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil))[:n]
}

func TestColumnRuleActionsOnText(t *testing.T) {
	cols := []binlogtest.Column{varchar("a", 80), varchar("b", 80), varchar("c", 80), varchar("d", 80), varchar("e", 80)}
	row := []rowcodec.Value{str("secret-a"), str("secret-b"), str("secret-c"), str("13812345678"), str("untouched")}
	got := maskOne(t, `
key: k
rules:
  - column: shop.users.a
    action: redact
  - column: users.b
    action: fixed
    replacement: "xx"
  - column: C          # any table, case-insensitive
    action: hash
  - column: "s*.u*.d"
    action: keep_last
    keep: 4
`, cols, row)
	want := []string{"***", "xx", hmacHex("secret-c", 16), "*******5678", "untouched"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %s: got %q, want %q", cols[i].Name, got[i], want[i])
		}
	}
}

func TestColumnPatternScope(t *testing.T) {
	cols := []binlogtest.Column{varchar("phone", 80)}
	row := []rowcodec.Value{str("13812345678")}
	for _, c := range []struct {
		pattern string
		masked  bool
	}{
		{"shop.users.phone", true},
		{"SHOP.USERS.PHONE", true},
		{"*.users.phone", true},
		{"users.phone", true},
		{"phone", true},
		{"*.phone", true},
		{"ph*", true},
		{"*", true},
		{"other.users.phone", false},
		{"shop.orders.phone", false},
		{"orders.phone", false},
		{"mobile", false},
		{"shop.users.phone2", false},
	} {
		got := maskOne(t, "rules:\n  - column: \""+c.pattern+"\"\n    action: redact\n", cols, row)
		if (got[0] == "***") != c.masked {
			t.Errorf("%q: got %q, masked want %v", c.pattern, got[0], c.masked)
		}
	}
}

func TestFirstColumnRuleWins(t *testing.T) {
	cols := []binlogtest.Column{varchar("phone", 80), varchar("name", 80)}
	row := []rowcodec.Value{str("13812345678"), str("Bob")}
	got := maskOne(t, `
rules:
  - column: phone
    action: keep_last
    keep: 2
  - type: varchar
    action: redact
`, cols, row)
	if got[0] != "*********78" || got[1] != "***" {
		t.Errorf("got %q", got)
	}
}

func TestHashFitsColumn(t *testing.T) {
	cols := []binlogtest.Column{varchar("a", 6), {Name: "b", Type: event.ColumnTypeString, Meta: 3}}
	got := maskOne(t, "key: k\nrules:\n  - type: string\n    action: hash\n", cols,
		[]rowcodec.Value{str("some long secret"), str("xyz")})
	if got[0] != hmacHex("some long secret", 6) || got[1] != hmacHex("xyz", 3) {
		t.Errorf("got %q", got)
	}
}

func TestKeepLastUTF8(t *testing.T) {
	if got := string(keepLast([]byte("张三丰先生"), 2, true)); got != "***先生" {
		t.Errorf("got %q", got)
	}
	if got := string(keepLast([]byte("138-1234-5678"), 4, true)); got != "***-****-5678" {
		t.Errorf("got %q", got)
	}
	if got := string(keepLast([]byte("ab"), 4, true)); got != "ab" {
		t.Errorf("got %q", got)
	}
}

func intCol(name string, typ event.ColumnType, unsigned bool) binlogtest.Column {
	return binlogtest.Column{Name: name, Type: typ, Unsigned: unsigned}
}

func TestColumnRuleActionsOnNumbers(t *testing.T) {
	cols := []binlogtest.Column{
		intCol("t", event.ColumnTypeTiny, false),
		intCol("u", event.ColumnTypeLongLong, true),
		intCol("i", event.ColumnTypeLong, false),
		{Name: "d", Type: event.ColumnTypeNewDecimal, Meta: 10<<8 | 2},
		{Name: "f", Type: event.ColumnTypeDouble, Meta: 8},
	}
	dec, err := rowcodec.DecimalValue("-12345.67", 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	row := []rowcodec.Value{rowcodec.IntValue(-100), rowcodec.UintValue(18446744073709551615), rowcodec.IntValue(-987654), dec, rowcodec.Float64Value(98765.4321)}
	for _, c := range []struct {
		rules string
		check func(got []string) bool
	}{
		{"rules:\n  - type: number\n    action: redact\n", func(g []string) bool {
			return g[0] == "0" && g[1] == "0" && g[2] == "0" && g[3] == "0.00" && g[4] == "0"
		}},
		{"rules:\n  - type: number\n    action: keep_last\n    keep: 3\n", func(g []string) bool {
			return g[0] == "-100" && g[1] == "615" && g[2] == "-654" && g[3] == "-5.67" && g[4] == "765"
		}},
		{"rules:\n  - type: number\n    action: fixed\n    replacement: \"42\"\n", func(g []string) bool {
			return g[0] == "42" && g[1] == "42" && g[2] == "42" && g[3] == "42.00" && g[4] == "42"
		}},
		{"key: k\nrules:\n  - type: number\n    action: hash\n", func(g []string) bool {
			t8, _ := strconv.Atoi(g[0])
			i32, _ := strconv.ParseInt(g[2], 10, 64)
			return t8 >= 0 && t8 <= 127 && i32 >= 0 && i32 <= 1<<31-1 && g[0] != "-100" && g[1] != "18446744073709551615"
		}},
	} {
		got := maskOne(t, c.rules, cols, row)
		if !c.check(got) {
			t.Errorf("%s: got %q", c.rules, got)
		}
	}
	// fixed out of range is an error, not a wrapped value.
	m := mustMasker(t, "rules:\n  - column: t\n    action: fixed\n    replacement: \"300\"\n")
	data := oneTable(t, cols, row)
	if _, err := tryAll(data, m); err == nil || !strings.Contains(err.Error(), "range") {
		t.Errorf("fixed 300 in TINYINT: err %v", err)
	}
}

func TestColumnRuleActionsOnTemporal(t *testing.T) {
	cols := []binlogtest.Column{
		{Name: "d", Type: event.ColumnTypeDate},
		{Name: "dt", Type: event.ColumnTypeDatetime2, Meta: 0},
		{Name: "ts", Type: event.ColumnTypeTimestamp2, Meta: 0},
		{Name: "tm", Type: event.ColumnTypeTime2, Meta: 0},
		{Name: "y", Type: event.ColumnTypeYear},
	}
	row := []rowcodec.Value{rowcodec.DateValue(1990, 5, 17), rowcodec.DatetimeValue(1990, 5, 17, 8, 30, 0, 0, 0),
		rowcodec.TimestampValue(642940200, 0, 0), rowcodec.TimeValue(false, 8, 30, 0, 0, 0), rowcodec.YearValue(1990)}
	got := maskOne(t, "rules:\n  - type: temporal\n    action: redact\n", cols, row)
	want := []string{"0000-00-00", "0000-00-00 00:00:00", "0000-00-00 00:00:00", "00:00:00", "0000"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("redact %s: got %q want %q", cols[i].Name, got[i], want[i])
		}
	}
	got = maskOne(t, "rules:\n  - type: date\n    action: fixed\n    replacement: \"2000-01-02\"\n  - type: temporal\n    action: keep_last\n    keep: 2\n", cols, row)
	if got[0] != "2000-01-02" || got[1] != "0000-00-00 00:00:00" {
		t.Errorf("fixed/keep_last: got %q", got)
	}
	got = maskOne(t, "key: k\nrules:\n  - type: temporal\n    action: hash\n", cols, row)
	for i, orig := range []string{"1990-05-17", "1990-05-17 08:30:00", "", "08:30:00", "1990"} {
		if got[i] == orig || strings.HasPrefix(got[i], "0000") {
			t.Errorf("hash %s: got %q", cols[i].Name, got[i])
		}
	}
}

func TestValuePatterns(t *testing.T) {
	for _, c := range []struct {
		pattern, in, want string
	}{
		{"email", "mail alice.smith+x@mail.example.co.uk now", "mail *** now"},
		{"email", "not@an-address", ""},
		{"phone", "call 13812345678.", "call ***."},
		{"phone", "call +86 138-1234-5678 or +44 20 7946 0958", "call *** or ***"},
		{"phone", "order 213812345678 is long", ""},
		{"cn_id", "id 11010519491231002X ok", "id *** ok"},
		{"cn_id", "id 110105194912310021 bad check", ""},
		{"card", "card 4111 1111 1111 1111!", "card ***!"},
		{"card", "card 4111-1111-1111-1111", "card ***"},
		{"card", "card 4111111111111112 fails luhn", ""},
		{"card", "card 4111 1111 1111 1111 2 times", "card *** 2 times"},
		{"phone", "tel 138 1234 5678 1 2 3", "tel *** 1 2 3"},
	} {
		m := mustMasker(t, "rules:\n  - value: "+c.pattern+"\n    action: redact\n")
		got := m.maskSubstrings([]byte(c.in), true)
		if string(got) != c.want {
			t.Errorf("%s in %q: got %q, want %q", c.pattern, c.in, got, c.want)
		}
	}
}

func TestValueRuleActions(t *testing.T) {
	cols := []binlogtest.Column{varchar("note", 400), varchar("other", 400), intCol("num", event.ColumnTypeLongLong, false)}
	row := []rowcodec.Value{str("a@example.com and b@example.org"), str("again a@example.com, ref ORD-123456"), rowcodec.IntValue(13812345678)}
	got := maskOne(t, `
key: k
rules:
  - value: email
    action: hash
  - regex: "ORD-[0-9]{6}"
    action: keep_last
    keep: 2
  - value: phone
    action: fixed
    replacement: "?"
`, cols, row)
	ha := hmacHex("a@example.com", 16)
	if got[0] != ha+" and "+hmacHex("b@example.org", 16) {
		t.Errorf("note: %q", got[0])
	}
	if got[1] != "again "+ha+", ref ***-****56" {
		t.Errorf("other: %q", got[1])
	}
	// A phone number in a BIGINT is masked as a number (fixed text cannot
	// go into a number: it is redacted).
	if got[2] != "0" {
		t.Errorf("num: %q", got[2])
	}
}

func TestJSON(t *testing.T) {
	doc, err := rowcodec.JSONValue([]byte(`{"email": "a@example.com", "n": 1, "tags": ["x", "13812345678"]}`))
	if err != nil {
		t.Fatal(err)
	}
	cols := []binlogtest.Column{{Name: "j", Type: event.ColumnTypeJSON, Meta: 4}, {Name: "k", Type: event.ColumnTypeJSON, Meta: 4},
		{Name: "t", Type: event.ColumnTypeBlob, Meta: 2}}
	row := []rowcodec.Value{doc, doc, rowcodec.BytesValue([]byte(`{"mail":"a@example.com","tel":13812345678}`))}
	got := maskOne(t, `
key: k
rules:
  - column: k
    action: redact
  - value: email
    action: hash
  - value: phone
    action: redact
`, cols, row)
	ha := hmacHex("a@example.com", 16)
	if got[0] != `{"n": 1, "tags": ["x", "***"], "email": "`+ha+`"}` {
		t.Errorf("j: %s", got[0])
	}
	if got[1] != "null" {
		t.Errorf("k: %s", got[1])
	}
	if got[2] != `{"mail":"`+ha+`","tel":"***"}` {
		t.Errorf("t: %s", got[2])
	}
}

func TestPassThroughAndPositions(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "orders", intCol("id", event.ColumnTypeLong, false), varchar("sku", 20)).
		Insert(1, []rowcodec.Value{rowcodec.IntValue(1), str("A-1")}).
		TableMap(2, "shop", "users", intCol("id", event.ColumnTypeLong, false), varchar("password", 20)).
		Insert(2, []rowcodec.Value{rowcodec.IntValue(1), str("hunter2")}).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	orig := readAll(t, data, nil)
	m := mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n")
	masked := readAll(t, data, m)
	changed := 0
	for i := range orig {
		o, n := orig[i], masked[i]
		if o.Header.LogPos != n.Header.LogPos || o.Pos != n.Pos || o.NextPos != n.NextPos || o.File != n.File || o.Header.Timestamp != n.Header.Timestamp {
			t.Errorf("event %d: positions changed", i)
		}
		if string(o.Raw) != string(n.Raw) {
			changed++
			if !n.HasChecksum() || event.Checksum(n.Raw[:len(n.Raw)-4]) != uint32(n.Raw[len(n.Raw)-4])|uint32(n.Raw[len(n.Raw)-3])<<8|uint32(n.Raw[len(n.Raw)-2])<<16|uint32(n.Raw[len(n.Raw)-1])<<24 {
				t.Errorf("event %d: bad checksum after masking", i)
			}
		}
	}
	if changed != 1 {
		t.Errorf("%d events changed, want 1 (the users insert)", changed)
	}
	rows := rowsOf(t, masked)
	if text(t, rows[0], rows[0].after, 1) != "A-1" || text(t, rows[1], rows[1].after, 1) != "***" {
		t.Errorf("rows: %q %q", text(t, rows[0], rows[0].after, 1), text(t, rows[1], rows[1].after, 1))
	}
}

func TestUnchangedEventIsNotCopied(t *testing.T) {
	data := oneTable(t, []binlogtest.Column{intCol("id", event.ColumnTypeLong, false), varchar("sku", 20)},
		[]rowcodec.Value{rowcodec.IntValue(1), str("A-1")})
	m := mustMasker(t, "rules:\n  - column: other.password\n    action: redact\n  - value: email\n    action: redact\n")
	for _, ev := range readAll(t, data, nil) {
		out, err := m.Apply(ev)
		if err != nil {
			t.Fatal(err)
		}
		if out != ev {
			t.Errorf("%s: copied though nothing matched", ev.Header.Type)
		}
	}
}

func TestUpdateAndDelete(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	cols := []binlogtest.Column{intCol("id", event.ColumnTypeLong, false), varchar("email", 80)}
	s.Begin().TableMap(1, "shop", "users", cols...).
		Update(1, rowcodec.Row{Before: []rowcodec.Value{rowcodec.IntValue(1), str("old@example.com")}, After: []rowcodec.Value{rowcodec.IntValue(1), str("new@example.com")}}).
		Delete(1, []rowcodec.Value{rowcodec.IntValue(1), str("new@example.com")}).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := mustMasker(t, "key: k\nrules:\n  - column: email\n    action: hash\n")
	rows := rowsOf(t, readAll(t, data, m))
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	if b, a := text(t, rows[0], rows[0].before, 1), text(t, rows[0], rows[0].after, 1); b != hmacHex("old@example.com", 16) || a != hmacHex("new@example.com", 16) {
		t.Errorf("update: %q -> %q", b, a)
	}
	if d := text(t, rows[1], rows[1].before, 1); d != hmacHex("new@example.com", 16) {
		t.Errorf("delete: %q (want the same hash as the update's after image)", d)
	}
	if text(t, rows[0], rows[0].before, 0) != "1" {
		t.Errorf("id changed")
	}
}

func TestNoColumnNamesFailsClosed(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	s.Begin().TableMap(1, "shop", "users", binlogtest.Column{Type: event.ColumnTypeLong}, binlogtest.Column{Type: event.ColumnTypeVarchar, Meta: 20}).
		Insert(1, []rowcodec.Value{rowcodec.IntValue(1), str("hunter2")}).XID()
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n")
	if _, err := tryAll(data, m); !errors.Is(err, ErrNoColumnNames) {
		t.Errorf("err %v, want ErrNoColumnNames", err)
	}
	// With names from elsewhere it masks.
	cfg, _ := ParseRules([]byte("rules:\n  - column: users.password\n    action: redact\n"))
	m, err = New(cfg, WithColumnNames(func(db, table string) []string {
		if db == "shop" && table == "users" {
			return []string{"id", "password"}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	rows := rowsOf(t, readAll(t, data, m))
	if got := text(t, rows[0], rows[0].after, 1); got != "***" {
		t.Errorf("with names: %q", got)
	}
	// A rule for another table does not need this table's names.
	m = mustMasker(t, "rules:\n  - column: orders.card\n    action: redact\n")
	if _, err := tryAll(data, m); err != nil {
		t.Errorf("unrelated rule: %v", err)
	}
}

func TestHashNeedsKey(t *testing.T) {
	cfg, err := ParseRules([]byte("rules:\n  - value: email\n    action: hash\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "key") {
		t.Errorf("err %v", err)
	}
}

// tryAll masks every event of data and returns the first error.
func tryAll(data []byte, m *Masker) ([]*event.Event, error) {
	var out []*event.Event
	var first error
	tb := &errTB{}
	evs := readAll(tb, data, nil)
	for _, ev := range evs {
		o, err := m.Apply(ev)
		if err != nil && first == nil {
			first = err
		}
		out = append(out, o)
	}
	return out, first
}

type errTB struct{ testing.TB }

func (*errTB) Helper()               {}
func (*errTB) Fatalf(string, ...any) { panic("unexpected") }
func (*errTB) Fatal(...any)          { panic("unexpected") }

func TestKeepAction(t *testing.T) {
	cols := []binlogtest.Column{varchar("id", 40), varchar("email", 80), varchar("note", 80)}
	row := []rowcodec.Value{str("u-13812345678"), str("a@example.com"), str("a@example.com")}
	got := maskOne(t, `
rules:
  - column: "users.id"
    action: keep
  - column: note
    action: keep
  - type: varchar
    action: redact
  - value: email
    action: hash
`, cols, row)
	if got[0] != "u-13812345678" || got[1] != "***" || got[2] != "a@example.com" {
		t.Errorf("got %q", got)
	}
	// keep alone does not make statements strict.
	m := mustMasker(t, "rules:\n  - column: users.id\n    action: keep\n")
	if out := m.maskStatement([]byte("INSERT INTO users VALUES ('x')"), statementAnnotation); out != nil {
		t.Errorf("keep masked a statement: %s", out)
	}
	if _, err := ParseRules([]byte("rules:\n  - value: email\n    action: keep\n")); err == nil {
		t.Error("keep on a value rule accepted")
	}
}
