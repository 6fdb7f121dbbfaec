//go:build integration

package rowcodec

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// mysqlOnlyCollation reports the ids this package knows from MySQL only.
func mysqlOnlyCollation(id uint16) bool {
	return id == 76 || (id >= 248 && id <= 250) || (id >= 255 && id <= 323)
}

// TestCollationTableMatchesMariaDB compares every collation id of a
// private MariaDB server (information_schema, with MAXLEN from
// CHARACTER_SETS) with the table: same charset, name and maximum length for
// each of the server's ids, and every id the table attributes to MariaDB
// exists on the server.
func TestCollationTableMatchesMariaDB(t *testing.T) {
	s := mariadbtest.Start(t)
	version := s.Query(t, "SELECT VERSION()")
	// From 10.10 COLLATION_CHARACTER_SET_APPLICABILITY lists every
	// (collation, charset) pair with its id, including the UCA-14
	// collations shared by several charsets; earlier servers list ids in
	// COLLATIONS only.
	q := `SELECT A.ID, A.CHARACTER_SET_NAME, A.FULL_COLLATION_NAME, CS.MAXLEN
		FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY A
		JOIN information_schema.CHARACTER_SETS CS USING (CHARACTER_SET_NAME) ORDER BY A.ID`
	if hasCCSAIDs := s.Query(t, `SELECT COUNT(*) FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = 'information_schema' AND TABLE_NAME = 'COLLATION_CHARACTER_SET_APPLICABILITY'
		AND COLUMN_NAME = 'ID'`); hasCCSAIDs == "0" {
		q = `SELECT C.ID, C.CHARACTER_SET_NAME, C.COLLATION_NAME, CS.MAXLEN
			FROM information_schema.COLLATIONS C
			JOIN information_schema.CHARACTER_SETS CS USING (CHARACTER_SET_NAME) ORDER BY C.ID`
	}
	server := map[uint16]bool{}
	for _, line := range strings.Split(s.Query(t, q), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			t.Fatalf("unexpected row %q", line)
		}
		n, err := strconv.Atoi(f[0])
		if err != nil || n < 0 || n > 0xFFFF {
			t.Fatalf("bad id in %q", line)
		}
		id := uint16(n)
		maxLen, _ := strconv.Atoi(f[3])
		server[id] = true
		if got := CharsetName(id); got != f[1] {
			t.Errorf("%s: id %d: CharsetName %q, server %q", version, id, got, f[1])
		}
		if got := CollationName(id); got != f[2] {
			t.Errorf("%s: id %d: CollationName %q, server %q", version, id, got, f[2])
		}
		if got := CharsetMaxLen(id); got != maxLen {
			t.Errorf("%s: id %d (%s): CharsetMaxLen %d, server %d", version, id, f[2], got, maxLen)
		}
	}
	missing := 0
	for id := 0; id <= 0xFFFF; id++ {
		if CharsetName(uint16(id)) != "" && !server[uint16(id)] && !mysqlOnlyCollation(uint16(id)) {
			t.Errorf("%s: id %d (%s) not on the server", version, id, CollationName(uint16(id)))
			missing++
		}
	}
	t.Logf("%s: %d collation ids compared, %d of the table's missing", version, len(server), missing)
}

// TestConversionMatchesMariaDB converts byte strings with the server
// (CONVERT(CAST(bytes AS CHAR CHARACTER SET cs) USING utf8mb4)) and with
// AppendUTF8From: every single byte of each single-byte set, every one- and
// two-byte sequence of the double-byte Asian sets, and the conversion
// vectors of charset_test.go must convert to the same text, and where the
// server has no mapping (it prints '?') not convert here either. The
// three-byte JIS X 0212 codes of ujis and eucjpms are only compared, and
// their differences logged (best effort).
func TestConversionMatchesMariaDB(t *testing.T) {
	s := mariadbtest.Start(t)
	type probe struct {
		cs  string
		id  uint16
		in  []byte
		alt bool // best effort: differences are logged
	}
	var probes []probe
	singleByte := map[string]uint16{"latin1": 8, "latin2": 9, "latin5": 30, "latin7": 41, "cp1250": 26,
		"cp1251": 51, "cp1256": 57, "cp1257": 59, "cp850": 4, "cp852": 40, "cp866": 36, "koi8r": 7,
		"koi8u": 22, "greek": 25, "hebrew": 16, "tis620": 18, "macroman": 39, "macce": 38,
		"armscii8": 32, "geostd8": 92, "keybcs2": 37, "dec8": 3, "hp8": 6, "swe7": 10, "ascii": 11}
	for cs, id := range singleByte {
		for b := 0; b < 256; b++ {
			probes = append(probes, probe{cs, id, []byte{byte(b)}, false})
		}
	}
	doubleByte := map[string]uint16{"gbk": 28, "gb2312": 24, "big5": 1, "sjis": 13, "cp932": 95,
		"euckr": 19, "ujis": 12, "eucjpms": 97}
	for cs, id := range doubleByte {
		for lead := 0x80; lead <= 0xFF; lead++ {
			probes = append(probes, probe{cs, id, []byte{byte(lead)}, false})
			for trail := 0x40; trail <= 0xFE; trail++ {
				probes = append(probes, probe{cs, id, []byte{byte(lead), byte(trail)}, false})
			}
		}
	}
	// JIS X 0212 (three bytes from 0x8F) is left to the x/text decoder:
	// differences are logged.
	for _, cs := range []string{"ujis", "eucjpms"} {
		for b1 := 0xA1; b1 <= 0xFE; b1++ {
			for b2 := 0xA1; b2 <= 0xFE; b2++ {
				probes = append(probes, probe{cs, doubleByte[cs], []byte{0x8F, byte(b1), byte(b2)}, true})
			}
		}
	}
	for _, c := range convVectors {
		cs := CharsetName(c.id)
		if cs == "" || cs == "binary" || cs == "gb18030" || !c.ok { // MariaDB has no gb18030
			continue
		}
		in, _ := hex.DecodeString(c.in)
		if len(in) > 0 {
			probes = append(probes, probe{cs, c.id, in, false})
		}
	}
	// Batches of probes per query, one row per probe.
	const batch = 2000
	diffs := map[string]int{}
	examples := map[string][]string{}
	for i := 0; i < len(probes); i += batch {
		ps := probes[i:min(i+batch, len(probes))]
		var q strings.Builder
		for j, p := range ps {
			if j > 0 {
				q.WriteString(" UNION ALL ")
			}
			fmt.Fprintf(&q, "SELECT %d, HEX(CONVERT(CAST(x'%x' AS CHAR CHARACTER SET %s) USING utf8mb4))", j, p.in, p.cs)
		}
		rows := strings.Split(s.Query(t, q.String()), "\n")
		if len(rows) != len(ps) {
			t.Fatalf("%d rows for %d probes", len(rows), len(ps))
		}
		for _, row := range rows {
			f := strings.Split(row, "\t")
			j, _ := strconv.Atoi(f[0])
			p := ps[j]
			srv, _ := hex.DecodeString(f[1])
			// The server's '?' (or U+FFFD) stands for "no mapping" unless
			// the input was a '?'.
			srvOK := !strings.Contains(string(srv), "\uFFFD") &&
				strings.Count(string(srv), "?") == strings.Count(string(p.in), "?")
			out, ok := AppendUTF8From(nil, p.id, p.in)
			if ok && !utf8.Valid(out) {
				t.Errorf("%s % x: invalid UTF-8 output %q", p.cs, p.in, out)
			}
			if ok == srvOK && (!ok || string(out) == string(srv)) {
				continue
			}
			if p.alt {
				class := "stricter" // the server converts, this package does not
				switch {
				case ok && !srvOK:
					class = "looser" // this package converts what the server cannot
				case ok && srvOK:
					class = "different"
				}
				diffs[p.cs+" "+class]++
				if len(examples[p.cs]) < 8 {
					examples[p.cs] = append(examples[p.cs], fmt.Sprintf("% x: server %q, here %q ok=%v", p.in, srv, out, ok))
				}
				continue
			}
			t.Errorf("%s % x: server %q (ok=%v), AppendUTF8From %q ok=%v", p.cs, p.in, srv, srvOK, out, ok)
		}
	}
	for _, cs := range []string{"ujis", "eucjpms"} {
		t.Logf("%s JIS X 0212 (%d three-byte codes): %d convert to other text, %d convert where the server cannot, %d do not convert where the server does; e.g. %s",
			cs, 94*94, diffs[cs+" different"], diffs[cs+" looser"], diffs[cs+" stricter"], strings.Join(examples[cs], "; "))
	}
}
