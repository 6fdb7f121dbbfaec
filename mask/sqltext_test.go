package mask

import (
	"strings"
	"testing"

	"github.com/binlogkit/binlogkit/binlog/binlogtest"
	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/rowcodec"
)

func TestLexLiterals(t *testing.T) {
	q := "INSERT INTO `t``x` (a1, b) VALUES ('it''s \\' x', \"dq\", 12.5e3, X'4142', 0x4142, b'01', _utf8mb4'u', t1.c2) # c1\n" +
		"/* c2 */ /*!50001 'in version' */ -- c3"
	var got []string
	for _, tok := range lexLiterals([]byte(q)) {
		got = append(got, q[tok.Start:tok.End])
	}
	want := []string{`'it''s \' x'`, `"dq"`, "12.5e3", "X'4142'", "0x4142", "b'01'", "'u'", "# c1", "/* c2 */", "'in version'", "-- c3"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := string(unquote(nil, []byte(`'it''s \' x\n'`))); got != "it's ' x\n" {
		t.Errorf("unquote: %q", got)
	}
}

func TestMaskStatementValueRules(t *testing.T) {
	m := mustMasker(t, "key: k\nrules:\n  - value: email\n    action: hash\n  - value: phone\n    action: redact\n")
	for _, c := range []struct{ in, want string }{
		{"INSERT INTO t VALUES ('a@example.com', 13812345678, 'x')",
			"INSERT INTO t VALUES ('" + hmacHex("a@example.com", 16) + "', '***', 'x')"},
		{"UPDATE t SET note='mail: a@example.com' /* by b@example.com */ WHERE id=13812345678",
			"UPDATE t SET note='mail: " + hmacHex("a@example.com", 16) + "' /* by " + hmacHex("b@example.com", 16) + " */ WHERE id='***'"},
		{"INSERT INTO t VALUES (X'61406263')", ""}, // a@bc is no address
		{"INSERT INTO t VALUES (X'61406578616d706c652e636f6d')", "INSERT INTO t VALUES (X'" + hexOf(hmacHex("a@example.com", 16)) + "')"},
		// DDL: numbers are left, strings only masked where a pattern matches.
		{"ALTER TABLE t ADD COLUMN p BIGINT DEFAULT 13812345678 COMMENT 'owner a@example.com'",
			"ALTER TABLE t ADD COLUMN p BIGINT DEFAULT 13812345678 COMMENT 'owner " + hmacHex("a@example.com", 16) + "'"},
		{"BEGIN", ""},
	} {
		got := m.maskStatement([]byte(c.in), statementQuery)
		if string(got) != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.in, got, c.want)
		}
	}
}

func hexOf(s string) string {
	const d = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(s); i++ {
		b = append(b, d[s[i]>>4], d[s[i]&15])
	}
	return string(b)
}

func TestMaskStatementStrict(t *testing.T) {
	m := mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n")
	for _, c := range []struct {
		in, want string
		kind     statementKind
	}{
		{"INSERT INTO users (id, password) VALUES (7, 'hunter2'), (8, X'00')", "INSERT INTO users (id, password) VALUES (0, '***'), (0, X'')", statementQuery},
		{" /* x */ update users set password=\"pw\" where id=1", " /* x */ update users set password='***' where id=0", statementQuery},
		{"CREATE TABLE users (password varchar(20) DEFAULT 'none')", "", statementQuery},
		{"CREATE TABLE users2 SELECT 'pw' AS password FROM users", "CREATE TABLE users2 SELECT '***' AS password FROM users", statementQuery},
		{"CREATE TABLE users (selected INT DEFAULT 1)", "", statementQuery},
		// Statements that name no table of a column rule keep their literals.
		{"INSERT INTO orders VALUES (1, 'sku')", "", statementQuery},
		{"INSERT INTO orders VALUES (1, 'sku')", "", statementAnnotation},
		{"INSERT INTO `shop`.`Users` VALUES (1, 'x')", "INSERT INTO `shop`.`Users` VALUES (0, '***')", statementAnnotation},
		{"CREATE TABLE users (password varchar(20) DEFAULT 'none')", "CREATE TABLE users (password varchar(0) DEFAULT '***')", statementAnnotation},
	} {
		got := m.maskStatement([]byte(c.in), c.kind)
		if string(got) != c.want {
			t.Errorf("%s:\n got  %s\n want %s", c.in, got, c.want)
		}
	}
}

func TestApplyStatementEvents(t *testing.T) {
	s := binlogtest.NewStream(event.MariaDB)
	s.Query("shop", "INSERT INTO users VALUES ('hunter2')").
		Event(&event.MariaAnnotateRows{Query: []byte("INSERT INTO users VALUES ('hunter3')")}).
		Event(&event.RowsQuery{Query: []byte("INSERT INTO users VALUES ('hunter4')")}).
		Event(&event.UserVar{Name: []byte("p"), Type: event.UserVarString, Charset: 45, Value: []byte("hunter5"), HasFlags: true})
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	m := mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n")
	for _, ev := range readAll(t, data, m) {
		if strings.Contains(string(ev.Raw), "hunter") {
			t.Errorf("%s still holds the password: %q", ev.Header.Type, ev.Raw)
		}
	}
}

func TestLoadDataBlocks(t *testing.T) {
	block := []byte("1\tbob@example.com\t13812345678\n2\tx\ty\n")
	v := mustMasker(t, "rules:\n  - value: email\n    action: redact\n  - value: phone\n    action: redact\n")
	if got := string(v.maskLoadBlock(block)); got != "1\t***\t***\n2\tx\ty\n" {
		t.Errorf("value rules: %q", got)
	}
	c := mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n")
	if got := string(c.maskLoadBlock(block)); got != "*\t***@*******.***\t***********\n*\t*\t*\n" {
		t.Errorf("column rules: %q", got)
	}
	s := binlogtest.NewStream(event.MariaDB)
	s.Event(&event.AppendBlock{Type: event.BeginLoadQueryEvent, FileID: 1, Block: block})
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range readAll(t, data, c) {
		if strings.Contains(string(ev.Raw), "bob@") {
			t.Errorf("%s still holds the address", ev.Header.Type)
		}
	}
}

func TestUserVars(t *testing.T) {
	dec, err := rowcodec.DecimalValue("123.45", 10, 2)
	if err != nil {
		t.Fatal(err)
	}
	vars := []*event.UserVar{
		{Name: []byte("s"), Type: event.UserVarString, Charset: 45, Value: []byte("mail a@example.com"), HasFlags: true},
		{Name: []byte("i"), Type: event.UserVarInt, Value: []byte{0x39, 0x30, 0, 0, 0, 0, 0, 0}, HasFlags: true},
		{Name: []byte("d"), Type: event.UserVarDecimal, Value: append([]byte{10, 2}, dec.Bytes()...), HasFlags: true},
		{Name: []byte("n"), IsNull: true},
	}
	s := binlogtest.NewStream(event.MariaDB)
	for _, v := range vars {
		s.Event(v)
	}
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	get := func(m *Masker) map[string]string {
		out := map[string]string{}
		for _, ev := range readAll(t, data, m) {
			if u, ok := ev.Body.(*event.UserVar); ok {
				out[string(u.Name)] = string(u.Value)
				if _, _, digits, ok := u.Decimal(); ok {
					v, _ := rowcodec.DecimalValue("0", 10, 2)
					if string(digits) == string(v.Bytes()) {
						out[string(u.Name)] = "zero"
					}
				}
			}
		}
		return out
	}
	got := get(mustMasker(t, "rules:\n  - value: email\n    action: redact\n"))
	if got["s"] != "mail ***" || got["i"] != "\x39\x30\x00\x00\x00\x00\x00\x00" || got["d"] == "zero" {
		t.Errorf("value rules: %q", got)
	}
	got = get(mustMasker(t, "rules:\n  - column: users.password\n    action: redact\n"))
	if got["s"] != "***" || got["i"] != "\x00\x00\x00\x00\x00\x00\x00\x00" || got["d"] != "zero" || got["n"] != "" {
		t.Errorf("column rules: %q", got)
	}
}
