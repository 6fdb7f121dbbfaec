package rowcodec

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

func dtCol(typ event.ColumnType, fsp int) *Column {
	return &Column{Type: typ, WireType: typ, Meta: uint32(fsp)}
}

// dtCheckTemporal decodes hx (followed by junk) for column c, asserts the text
// and the value, and encodes the value back to the same bytes.
func dtCheckTemporal(t *testing.T, c *Column, hx, text string, want Value) {
	t.Helper()
	raw := dtUnhex(t, hx)
	v, n, err := decodeTemporal(c, append(append([]byte(nil), raw...), 0xee, 0xee))
	if err != nil || n != len(raw) {
		t.Fatalf("decode % x: n=%d err=%v", raw, n, err)
	}
	if got := string(appendTemporalText(nil, v)); got != text {
		t.Fatalf("decode % x: text %q, want %q", raw, got, text)
	}
	if want.Kind() != KindNull && !v.Equal(want) {
		t.Fatalf("decode % x: %+v, want %+v", raw, v, want)
	}
	enc, err := appendTemporal(nil, c, v)
	if err != nil || !bytes.Equal(enc, raw) {
		t.Fatalf("encode: % x (%v), want % x", enc, err, raw)
	}
	if want.Kind() != KindNull {
		enc, err = appendTemporal(nil, c, want)
		if err != nil || !bytes.Equal(enc, raw) {
			t.Fatalf("encode constructed: % x (%v), want % x", enc, err, raw)
		}
	}
}

// TestTime2Testcase17 covers TESTCASES #17: TIME2 negative, beyond 24 h, at
// every fsp, with the borrow negative values take from the integer part at
// fsp 1–2 and 3–4.
func TestTime2Testcase17(t *testing.T) {
	cases := []struct {
		name string
		fsp  int
		hex  string
		text string
		v    Value
	}{
		{"-507:48:27 (time_issue)", 0, "60 43 e5", "-507:48:27", TimeValue(true, 507, 48, 27, 0, 0)},
		{"-00:00:01", 0, "7f ff ff", "-00:00:01", TimeValue(true, 0, 0, 1, 0, 0)},
		{"838:59:59 fsp 0", 0, "b4 6e fb", "838:59:59", TimeValue(false, 838, 59, 59, 0, 0)},
		{"-838:59:59 fsp 0", 0, "4b 91 05", "-838:59:59", TimeValue(true, 838, 59, 59, 0, 0)},
		{"838:59:59 fsp 6", 6, "b4 6e fb 00 00 00", "838:59:59.000000", TimeValue(false, 838, 59, 59, 0, 6)},
		{"-838:59:59 fsp 6", 6, "4b 91 05 00 00 00", "-838:59:59.000000", TimeValue(true, 838, 59, 59, 0, 6)},
		{"24:00:00", 0, "81 80 00", "24:00:00", TimeValue(false, 24, 0, 0, 0, 0)},
		{"100:08:04", 0, "86 42 04", "100:08:04", TimeValue(false, 100, 8, 4, 0, 0)},
		{"-16:08:04.010123 fsp 6", 6, "7e fd fb ff d8 75", "-16:08:04.010123", TimeValue(true, 16, 8, 4, 10123, 6)},
		{"00:00:00", 0, "80 00 00", "00:00:00", TimeValue(false, 0, 0, 0, 0, 0)},
		{"-00:00:00.5 fsp 1 borrows", 1, "7f ff ff ce", "-00:00:00.5", TimeValue(true, 0, 0, 0, 500000, 1)},
		{"-00:00:01.5 fsp 2 borrows", 2, "7f ff fe ce", "-00:00:01.50", TimeValue(true, 0, 0, 1, 500000, 2)},
		{"-00:00:01 fsp 2 no fraction no borrow", 2, "7f ff ff 00", "-00:00:01.00", TimeValue(true, 0, 0, 1, 0, 2)},
		{"-00:00:00.01 fsp 2", 2, "7f ff ff ff", "-00:00:00.01", TimeValue(true, 0, 0, 0, 10000, 2)},
		{"-16:08:04.001 fsp 3 borrows", 3, "7e fd fb ff f6", "-16:08:04.001", TimeValue(true, 16, 8, 4, 1000, 3)},
		{"-00:00:00.0001 fsp 4 borrows", 4, "7f ff ff ff ff", "-00:00:00.0001", TimeValue(true, 0, 0, 0, 100, 4)},
		{"00:00:00.0001 fsp 4", 4, "80 00 00 00 01", "00:00:00.0001", TimeValue(false, 0, 0, 0, 100, 4)},
		{"87:31:46.654 fsp 3", 3, "85 77 ee 19 8c", "87:31:46.654", TimeValue(false, 87, 31, 46, 654000, 3)},
		{"-00:00:00.000001 fsp 5", 5, "7f ff ff ff ff ff", "-00:00:00.00000", TimeValue(true, 0, 0, 0, 1, 5)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { dtCheckTemporal(t, dtCol(event.ColumnTypeTime2, tc.fsp), tc.hex, tc.text, tc.v) })
	}
	neg, h, mi, s, us := cases[8].v.Time()
	if !neg || h != 16 || mi != 8 || s != 4 || us != 10123 {
		t.Errorf("Time() = %v %d %d %d %d", neg, h, mi, s, us)
	}
	if d := cases[0].v.TimeDuration(); d != -(507*time.Hour + 48*time.Minute + 27*time.Second) {
		t.Errorf("TimeDuration %v", d)
	}
	if v := TimeValue(true, 0, 0, 0, 0, 0); v.flag&tmFlagNeg != 0 {
		t.Error("negative zero TIME kept its sign")
	}
}

// TestDatetime2Testcase18 covers TESTCASES #18: DATETIME2/TIMESTAMP2 at fsp
// 0–6, zero and partial-zero dates kept as such, a zero DATETIME(6)
// consuming its fraction bytes, TIMESTAMP never converted with the host's
// time zone.
func TestDatetime2Testcase18(t *testing.T) {
	dt := func(fsp int) *Column { return dtCol(event.ColumnTypeDatetime2, fsp) }
	for _, tc := range []struct {
		name string
		fsp  int
		hex  string
		text string
		v    Value
	}{
		{"zero fsp 0", 0, "80 00 00 00 00", "0000-00-00 00:00:00", DatetimeValue(0, 0, 0, 0, 0, 0, 0, 0)},
		{"zero DATETIME(6) consumes 3 fraction bytes", 6, "80 00 00 00 00 00 00 00", "0000-00-00 00:00:00.000000", DatetimeValue(0, 0, 0, 0, 0, 0, 0, 6)},
		{".7 at fsp 1", 1, "99 8b e4 b7 ad 46", "2012-03-18 11:30:45.7", DatetimeValue(2012, 3, 18, 11, 30, 45, 700000, 1)},
		{".07 at fsp 2", 2, "99 8b e4 b7 ad 07", "2012-03-18 11:30:45.07", DatetimeValue(2012, 3, 18, 11, 30, 45, 70000, 2)},
		{".7 at fsp 3 is .700", 3, "99 8b e4 b7 ad 1b 58", "2012-03-18 11:30:45.700", DatetimeValue(2012, 3, 18, 11, 30, 45, 700000, 3)},
		{".0007 at fsp 4", 4, "99 8b e4 b7 ad 00 07", "2012-03-18 11:30:45.0007", DatetimeValue(2012, 3, 18, 11, 30, 45, 700, 4)},
		{".00007 at fsp 5", 5, "99 8b e4 b7 ad 00 00 46", "2012-03-18 11:30:45.00007", DatetimeValue(2012, 3, 18, 11, 30, 45, 70, 5)},
		{".654321 at fsp 6", 6, "99 8b e4 b7 ad 09 fb f1", "2012-03-18 11:30:45.654321", DatetimeValue(2012, 3, 18, 11, 30, 45, 654321, 6)},
	} {
		t.Run("DATETIME "+tc.name, func(t *testing.T) { dtCheckTemporal(t, dt(tc.fsp), tc.hex, tc.text, tc.v) })
	}
	// Partial-zero dates, built and read back.
	for _, d := range []struct{ y, m, dd int }{{0, 0, 0}, {0, 3, 21}, {1989, 0, 21}, {2013, 0, 0}} {
		want := fmt.Sprintf("%04d-%02d-%02d 01:02:03.45", d.y, d.m, d.dd)
		v := DatetimeValue(d.y, d.m, d.dd, 1, 2, 3, 450000, 2)
		b, err := appendTemporal(nil, dt(2), v)
		if err != nil {
			t.Fatal(err)
		}
		w, n, err := decodeTemporal(dt(2), b)
		if err != nil || n != 6 || !w.Equal(v) || string(appendTemporalText(nil, w)) != want {
			t.Errorf("%s: % x → %q %v", want, b, appendTemporalText(nil, w), err)
		}
		if y, m, dd := w.Date(); y != d.y || m != d.m || dd != d.dd {
			t.Errorf("%s: Date() = %d %d %d", want, y, m, dd)
		}
		if _, ok := w.GoTime(); ok {
			t.Errorf("%s: GoTime ok for a zero or partial date", want)
		}
		if w.IsNull() {
			t.Errorf("%s: NULL", want)
		}
	}

	// TIMESTAMP: UTC whatever the host zone says.
	saved := time.Local
	time.Local = time.FixedZone("UTC+5", 5*3600)
	defer func() { time.Local = saved }()
	ts := func(fsp int) *Column { return dtCol(event.ColumnTypeTimestamp2, fsp) }
	for _, tc := range []struct {
		name       string
		fsp        int
		hex        string
		text, secs string
		v          Value
	}{
		{"zero", 0, "00 00 00 00", "0000-00-00 00:00:00", "0", TimestampValue(0, 0, 0)},
		{"zero fsp 3", 3, "00 00 00 00 00 00", "0000-00-00 00:00:00.000", "0.000", TimestampValue(0, 0, 3)},
		{"1 s", 0, "00 00 00 01", "1970-01-01 00:00:01", "1", TimestampValue(1, 0, 0)},
		{"1.5 s fsp 3", 3, "00 00 00 01 13 88", "1970-01-01 00:00:01.500", "1.500", TimestampValue(1, 500000, 3)},
		{"1000000000.123 fsp 3", 3, "3b 9a ca 00 04 ce", "2001-09-09 01:46:40.123", "1000000000.123", TimestampValue(1000000000, 123000, 3)},
		{"2038 fsp 6", 6, "7f ff ff ff 0f 42 3f", "2038-01-19 03:14:07.999999", "2147483647.999999", TimestampValue(2147483647, 999999, 6)},
		{"fsp 1", 1, "65 53 f1 00 0a", "2023-11-14 22:13:20.1", "1700000000.1", TimestampValue(1700000000, 100000, 1)},
	} {
		t.Run("TIMESTAMP "+tc.name, func(t *testing.T) {
			dtCheckTemporal(t, ts(tc.fsp), tc.hex, tc.text, tc.v)
			if got := string(AppendTimestampSeconds(nil, tc.v)); got != tc.secs {
				t.Errorf("seconds %q, want %q", got, tc.secs)
			}
			if got := string(AppendBinlogTemporal(nil, tc.v)); got != tc.secs {
				t.Errorf("binlog form %q, want %q", got, tc.secs)
			}
		})
	}
	v := TimestampValue(1000000000, 123000, 3)
	if g, ok := v.GoTime(); !ok || g.Location() != time.UTC || !g.Equal(time.Date(2001, 9, 9, 1, 46, 40, 123000000, time.UTC)) {
		t.Errorf("GoTime %v %v", g, ok)
	}
	if _, ok := TimestampValue(0, 0, 0).GoTime(); ok {
		t.Error("zero TIMESTAMP has a GoTime")
	}
	if sec, us := v.Timestamp(); sec != 1000000000 || us != 123000 {
		t.Errorf("Timestamp() %d %d", sec, us)
	}
	g, ok := DatetimeValue(2024, 2, 29, 23, 59, 59, 5, 6).GoTime()
	if !ok || !g.Equal(time.Date(2024, 2, 29, 23, 59, 59, 5000, time.UTC)) {
		t.Errorf("DATETIME GoTime %v %v", g, ok)
	}
	if _, ok := DateValue(2023, 2, 29).GoTime(); ok {
		t.Error("2023-02-29 has a GoTime")
	}
}

// TestOldTemporalTestcase19 covers TESTCASES #19: the pre-5.6 TIME,
// DATETIME and TIMESTAMP and the DATE of 5.1 binlogs (YEAR is the integer
// code's).
func TestOldTemporalTestcase19(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Column
		hex  string
		text string
		v    Value
	}{
		{"DATE 2013-00-00", dtCol(event.ColumnTypeDate, 0), "00 ba 0f", "2013-00-00", DateValue(2013, 0, 0)},
		{"DATE 0000-00-00", dtCol(event.ColumnTypeDate, 0), "00 00 00", "0000-00-00", DateValue(0, 0, 0)},
		{"NEWDATE 9999-12-31", dtCol(event.ColumnTypeNewDate, 0), "9f 1f 4e", "9999-12-31", DateValue(9999, 12, 31)},
		{"DATE 1000-01-01", dtCol(event.ColumnTypeDate, 0), "21 d0 07", "1000-01-01", DateValue(1000, 1, 1)},
		{"old TIME -838:59:59", dtCol(event.ColumnTypeTime, 0), "59 0a 80", "-838:59:59", TimeValue(true, 838, 59, 59, 0, 0)},
		{"old TIME 00:12:34", dtCol(event.ColumnTypeTime, 0), "d2 04 00", "00:12:34", TimeValue(false, 0, 12, 34, 0, 0)},
		{"old TIME zero", dtCol(event.ColumnTypeTime, 0), "00 00 00", "00:00:00", TimeValue(false, 0, 0, 0, 0, 0)},
		{"old DATETIME", dtCol(event.ColumnTypeDatetime, 0), "15 f5 69 a0 4c 12 00 00", "2012-03-18 11:30:45", DatetimeValue(2012, 3, 18, 11, 30, 45, 0, 0)},
		{"old DATETIME max", dtCol(event.ColumnTypeDatetime, 0), "77 87 d1 05 f1 5a 00 00", "9999-12-31 23:59:59", DatetimeValue(9999, 12, 31, 23, 59, 59, 0, 0)},
		{"old DATETIME zero", dtCol(event.ColumnTypeDatetime, 0), "00 00 00 00 00 00 00 00", "0000-00-00 00:00:00", DatetimeValue(0, 0, 0, 0, 0, 0, 0, 0)},
		{"old TIMESTAMP", dtCol(event.ColumnTypeTimestamp, 0), "00 ca 9a 3b", "2001-09-09 01:46:40", TimestampValue(1000000000, 0, 0)},
		{"old TIMESTAMP zero", dtCol(event.ColumnTypeTimestamp, 0), "00 00 00 00", "0000-00-00 00:00:00", TimestampValue(0, 0, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) { dtCheckTemporal(t, tc.c, tc.hex, tc.text, tc.v) })
	}
	if got := string(AppendBinlogTemporal(nil, DateValue(2013, 0, 0))); got != "2013:00:00" {
		t.Errorf("mysqlbinlog DATE form %q", got)
	}
}

func TestTemporalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		c    *Column
		hex  string
		want error
	}{
		{"DATE short", dtCol(event.ColumnTypeDate, 0), "00 ba", ErrTruncated},
		{"DATE month 13", dtCol(event.ColumnTypeDate, 0), "a0 01 00", ErrCorrupt},
		{"TIME2 fsp 7", dtCol(event.ColumnTypeTime2, 7), "80 00 00 00 00 00 00", ErrCorrupt},
		{"TIME2 short fraction", dtCol(event.ColumnTypeTime2, 6), "80 00 00 00 00", ErrTruncated},
		{"TIME2 fraction 100 hundredths", dtCol(event.ColumnTypeTime2, 2), "80 00 00 64", ErrCorrupt},
		{"TIME2 minute 60", dtCol(event.ColumnTypeTime2, 0), "80 0f 00", ErrCorrupt},
		{"TIME2 fsp 6 fraction over 999999", dtCol(event.ColumnTypeTime2, 6), "80 00 00 0f 42 40", ErrCorrupt},
		{"DATETIME2 negative", dtCol(event.ColumnTypeDatetime2, 0), "7f ff ff ff ff", ErrCorrupt},
		{"DATETIME2 zero DATETIME(6) without its fraction", dtCol(event.ColumnTypeDatetime2, 6), "80 00 00 00 00 00 00", ErrTruncated},
		{"DATETIME2 hour 24", dtCol(event.ColumnTypeDatetime2, 0), "80 00 01 80 00", ErrCorrupt},
		{"TIMESTAMP2 fraction over", dtCol(event.ColumnTypeTimestamp2, 4), "00 00 00 01 27 10", ErrCorrupt},
		{"old DATETIME month 13", dtCol(event.ColumnTypeDatetime, 0), "80 05 03 dc 4c 12 00 00", ErrCorrupt},
		{"old TIME minute 60", dtCol(event.ColumnTypeTime, 0), "70 17 00", ErrCorrupt},
		{"not temporal", dtCol(event.ColumnTypeLong, 0), "00 00 00 00", ErrUnsupported},
	} {
		if _, _, err := decodeTemporal(tc.c, dtUnhex(t, tc.hex)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		c    *Column
		v    Value
	}{
		{"bad constructor fields", dtCol(event.ColumnTypeDate, 0), DateValue(2020, 13, 1)},
		{"kind mismatch", dtCol(event.ColumnTypeDate, 0), TimeValue(false, 1, 0, 0, 0, 0)},
		{"fraction finer than the column's fsp", dtCol(event.ColumnTypeDatetime2, 2), DatetimeValue(2020, 1, 1, 0, 0, 0, 123, 6)},
		{"old TIME over 838 h", dtCol(event.ColumnTypeTime, 0), TimeValue(false, 900, 0, 0, 0, 0)},
		{"hour 24 in DATETIME", dtCol(event.ColumnTypeDatetime2, 0), DatetimeValue(2020, 1, 1, 24, 0, 0, 0, 0)},
		{"TIMESTAMP seconds over 2^32", dtCol(event.ColumnTypeTimestamp2, 0), TimestampValue(1<<32, 0, 0)},
	} {
		if _, err := appendTemporal(nil, tc.c, tc.v); err == nil {
			t.Errorf("%s: encoded", tc.name)
		}
	}
}

// dtRandTemporal returns a random column of a temporal type and a value that
// fits it.
func dtRandTemporal(r *rand.Rand) (*Column, Value) {
	types := []event.ColumnType{event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeDatetime,
		event.ColumnTypeTimestamp, event.ColumnTypeTime2, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp2}
	typ := types[r.IntN(len(types))]
	fsp := 0
	if typ >= event.ColumnTypeTimestamp2 {
		fsp = r.IntN(7)
	}
	us := 0
	if fsp > 0 {
		unit := int(tmFracUnit(fsp))
		us = r.IntN(1000000/unit) * unit
	}
	c := dtCol(typ, fsp)
	switch typ {
	case event.ColumnTypeDate, event.ColumnTypeNewDate:
		return c, DateValue(r.IntN(10000), r.IntN(13), r.IntN(32))
	case event.ColumnTypeTime:
		return c, TimeValue(r.IntN(2) == 0, r.IntN(839), r.IntN(60), r.IntN(60), 0, 0)
	case event.ColumnTypeTime2:
		return c, TimeValue(r.IntN(2) == 0, r.IntN(tmMaxTimeH+1), r.IntN(60), r.IntN(60), us, fsp)
	case event.ColumnTypeDatetime, event.ColumnTypeDatetime2:
		return c, DatetimeValue(r.IntN(10000), r.IntN(13), r.IntN(32), r.IntN(24), r.IntN(60), r.IntN(60), us, fsp)
	}
	return c, TimestampValue(r.Int64N(1<<32), us, fsp)
}

// TestTemporalRoundTrip: random values of every temporal type and fsp
// encode and decode back to themselves, and random bytes that decode
// encode back to the same bytes.
func TestTemporalRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for i := 0; i < 50000; i++ {
		c, v := dtRandTemporal(r)
		b, err := appendTemporal(nil, c, v)
		if err != nil {
			t.Fatalf("type %d fsp %d %+v: %v", c.Type, c.Meta, v, err)
		}
		w, n, err := decodeTemporal(c, b)
		if err != nil || n != len(b) || !w.Equal(v) {
			t.Fatalf("type %d fsp %d: %+v → % x → %+v (%v)", c.Type, c.Meta, v, b, w, err)
		}
		if string(appendTemporalText(nil, w)) != string(appendTemporalText(nil, v)) {
			t.Fatal("text differs")
		}
		// Random bytes of the same length.
		for j := range b {
			b[j] = byte(r.Uint32())
		}
		if w, n, err := decodeTemporal(c, b); err == nil {
			enc, err := appendTemporal(nil, c, w)
			if err != nil || !bytes.Equal(enc, b[:n]) {
				t.Fatalf("type %d fsp %d: % x → %+v → % x (%v)", c.Type, c.Meta, b, w, enc, err)
			}
		}
	}
}

// TestTemporalTextFromParts checks the text against an independent
// formatting of the fields with fmt.
func TestTemporalTextFromParts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		_, v := dtRandTemporal(r)
		var want string
		frac := func(us int) string {
			if v.Fsp() == 0 {
				return ""
			}
			return "." + fmt.Sprintf("%06d", us)[:v.Fsp()]
		}
		switch v.Kind() {
		case KindDate:
			y, m, d := v.Date()
			want = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		case KindDatetime:
			y, mo, d, h, mi, s, us := v.Datetime()
			want = fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", y, mo, d, h, mi, s) + frac(us)
		case KindTime:
			neg, h, mi, s, us := v.Time()
			want = fmt.Sprintf("%02d:%02d:%02d", h, mi, s) + frac(us)
			if neg {
				want = "-" + want
			}
		case KindTimestamp:
			sec, us := v.Timestamp()
			want = time.Unix(sec, 0).UTC().Format("2006-01-02 15:04:05") + frac(us)
			if sec == 0 {
				want = "0000-00-00 00:00:00" + frac(0)
			}
		}
		if got := string(v.AppendTemporal(nil)); got != want {
			t.Fatalf("%+v: %q, want %q", v, got, want)
		}
	}
}

// TestTemporalAllocs: decoding and formatting a DATETIME2 (and a TIME2)
// allocate nothing.
func TestTemporalAllocs(t *testing.T) {
	c := dtCol(event.ColumnTypeDatetime2, 6)
	b := dtUnhex(t, "99 8b e4 b7 ad 09 fb f1")
	c2 := dtCol(event.ColumnTypeTime2, 6)
	b2 := dtUnhex(t, "7e fd fb ff d8 75")
	c3 := dtCol(event.ColumnTypeTimestamp2, 6)
	b3 := dtUnhex(t, "7f ff ff ff 0f 42 3f")
	buf := make([]byte, 0, 64)
	a := testing.AllocsPerRun(200, func() {
		for _, x := range []struct {
			c *Column
			b []byte
		}{{c, b}, {c2, b2}, {c3, b3}} {
			v, _, err := decodeTemporal(x.c, x.b)
			if err != nil {
				t.Fatal(err)
			}
			buf = appendTemporalText(buf[:0], v)
			buf = AppendBinlogTemporal(buf[:0], v)
			buf, _ = appendTemporal(buf[:0], x.c, v)
		}
	})
	if a != 0 {
		t.Fatalf("%v allocations", a)
	}
}

func BenchmarkDatetime2DecodeText(b *testing.B) {
	c := dtCol(event.ColumnTypeDatetime2, 6)
	bin := []byte{0x99, 0x8b, 0xe4, 0xb7, 0xad, 0x09, 0xfb, 0xf1}
	buf := make([]byte, 0, 64)
	b.SetBytes(int64(len(bin)))
	b.ReportAllocs()
	for b.Loop() {
		v, _, err := decodeTemporal(c, bin)
		if err != nil {
			b.Fatal(err)
		}
		buf = appendTemporalText(buf[:0], v)
	}
}

// --- Real binlogs ---

const dtSharedBinlogs = "../../shared/testdata/binlogs"

// dtEachRows calls fn for every rows event of the binlog at path, with its
// table map.
func dtEachRows(t *testing.T, path string, fn func(rows *event.Rows, tm *event.TableMap)) {
	t.Helper()
	src, err := binlog.OpenFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			t.Skipf("%s is absent", path)
		}
		t.Fatal(err)
	}
	defer src.Close()
	rd := binlog.NewReader(src)
	for {
		ev, err := rd.Next(context.Background())
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows, ok := ev.Body.(*event.Rows); ok && ev.Table != nil {
			fn(rows, ev.Table)
		}
	}
}

// TestTimeIssueCorpus decodes the TIME of the shared corpus file
// time_issue.000001 (TESTCASES #17): t(c TIME) = '-507:48:27', bytes 60 43 e5.
func TestTimeIssueCorpus(t *testing.T) {
	found := 0
	dtEachRows(t, filepath.Join(dtSharedBinlogs, "time_issue.000001"), func(rows *event.Rows, tm *event.TableMap) {
		if rows.Kind() != event.RowsWrite {
			return
		}
		typ, _ := tm.ColumnType(0)
		c := &Column{Type: typ, WireType: typ, Meta: tm.ColumnMeta(0)}
		if typ != event.ColumnTypeTime2 || len(rows.Data) < 1 || rows.Data[0]&1 != 0 {
			t.Fatalf("unexpected image: type %d, data % x", typ, rows.Data)
		}
		img := rows.Data[1:] // null bitmap of one column, then the TIME2
		v, n, err := decodeTemporal(c, img)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(img[:n], []byte{0x60, 0x43, 0xe5}) {
			t.Errorf("value bytes % x", img[:n])
		}
		if got := string(appendTemporalText(nil, v)); got != "-507:48:27" {
			t.Errorf("TIME %q, want -507:48:27", got)
		}
		enc, err := appendTemporal(nil, c, v)
		if err != nil || !bytes.Equal(enc, img[:n]) {
			t.Errorf("re-encoded % x (%v)", enc, err)
		}
		found++
	})
	if found != 1 {
		t.Fatalf("%d WRITE_ROWS events, want 1", found)
	}
}

// dtIsMine reports the column types this file's codecs decode.
func dtIsMine(typ event.ColumnType) bool {
	switch typ {
	case 0, 246, event.ColumnTypeDate, event.ColumnTypeNewDate, event.ColumnTypeTime, event.ColumnTypeDatetime,
		event.ColumnTypeTimestamp, event.ColumnTypeTime2, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp2:
		return true
	}
	return false
}

// dtOtherWidth is the size of a value of a type that is not ours, for the
// golden walker to step over it; -1 for types it does not know.
func dtOtherWidth(typ event.ColumnType, meta uint32, b []byte) int {
	lenPrefixed := func(k int) int {
		if len(b) < k {
			return -1
		}
		n := 0
		for i := k - 1; i >= 0; i-- {
			n = n<<8 | int(b[i])
		}
		return k + n
	}
	switch typ {
	case event.ColumnTypeTiny, event.ColumnTypeYear:
		return 1
	case event.ColumnTypeShort:
		return 2
	case event.ColumnTypeInt24:
		return 3
	case event.ColumnTypeLong:
		return 4
	case event.ColumnTypeLongLong:
		return 8
	case 4, 5: // FLOAT, DOUBLE: the metadata is the size
		return int(meta)
	case 16: // BIT: metadata bits%8 | bytes<<8
		w := int(meta >> 8)
		if meta&0xff != 0 {
			w++
		}
		return w
	case 15, 253: // VARCHAR, VAR_STRING: the metadata is the maximum length
		if meta < 256 {
			return lenPrefixed(1)
		}
		return lenPrefixed(2)
	case 252, 255, 245: // BLOB, GEOMETRY, JSON: the metadata is the prefix size
		return lenPrefixed(int(meta))
	case 254: // STRING: real type and length
		real := byte(meta >> 8)
		if real == 247 || real == 248 { // ENUM, SET
			return int(meta & 0xff)
		}
		max := int((meta>>4)&0x300^0x300) + int(meta&0xff)
		if max < 256 {
			return lenPrefixed(1)
		}
		return lenPrefixed(2)
	}
	return -1
}

func dtBit(b []byte, i int) bool { return b[i/8]>>(i%8)&1 != 0 }

// dtBinlogForm prints a value of ours as mariadb-binlog -vv does after
// `@N=`.
func dtBinlogForm(v Value) string {
	switch v.Kind() {
	case KindNull:
		return "NULL"
	case KindDecimal:
		return string(v.AppendDecimal(nil))
	case KindTimestamp:
		return string(AppendBinlogTemporal(nil, v))
	}
	return "'" + string(AppendBinlogTemporal(nil, v)) + "'"
}

// dtGoldenRows walks the row images of a recorded binlog for the tables whose
// columns are all either ours or types it can step over, and returns "table @N=text" for
// each of our columns present in an image, in log order.
func dtGoldenRows(t *testing.T, path string) (got []string, tables map[string]bool) {
	tables = map[string]bool{}
	dtEachRows(t, path, func(rows *event.Rows, tm *event.TableMap) {
		cols := make([]Column, tm.ColumnCount)
		for i := range cols {
			typ, arr := tm.ColumnType(i)
			cols[i] = Column{Index: i, Type: typ, WireType: typ, Meta: tm.ColumnMeta(i)}
			if arr || !dtIsMine(typ) && dtOtherWidth(typ, cols[i].Meta, []byte{0, 0, 0, 0}) < 0 {
				return
			}
		}
		name := string(tm.Table)
		tables[name] = true
		data := rows.Data
		image := func(present []byte) {
			np := 0
			for i := range cols {
				if dtBit(present, i) {
					np++
				}
			}
			nb := (np + 7) / 8
			if len(data) < nb {
				t.Fatalf("%s: image cut in its null bitmap", name)
			}
			nulls := data[:nb]
			data = data[nb:]
			k := 0
			for i := range cols {
				if !dtBit(present, i) {
					continue
				}
				null := dtBit(nulls, k)
				k++
				c := &cols[i]
				var v Value
				if !null {
					if !dtIsMine(c.Type) {
						w := dtOtherWidth(c.Type, c.Meta, data)
						if w < 0 || w > len(data) {
							t.Fatalf("%s column %d: cannot step over type %d", name, i+1, c.Type)
						}
						data = data[w:]
						continue
					}
					var n int
					var err error
					if c.Type == 246 || c.Type == 0 {
						v, n, err = decodeDecimal(c, data)
					} else {
						v, n, err = decodeTemporal(c, data)
					}
					if err != nil {
						t.Fatalf("%s column %d: %v", name, i+1, err)
					}
					var enc []byte
					if c.Type == 246 || c.Type == 0 {
						enc, err = appendDecimal(nil, c, v)
					} else {
						enc, err = appendTemporal(nil, c, v)
					}
					if err != nil || !bytes.Equal(enc, data[:n]) {
						t.Fatalf("%s column %d: re-encoded % x, logged % x (%v)", name, i+1, enc, data[:n], err)
					}
					data = data[n:]
				} else if !dtIsMine(c.Type) {
					continue
				}
				got = append(got, fmt.Sprintf("%s @%d=%s", name, i+1, dtBinlogForm(v)))
			}
		}
		for len(data) > 0 {
			switch rows.Kind() {
			case event.RowsWrite:
				image(rows.ColumnsAfter)
			case event.RowsDelete:
				image(rows.ColumnsBefore)
			case event.RowsUpdate:
				image(rows.ColumnsBefore)
				image(rows.ColumnsAfter)
			default:
				return
			}
		}
	})
	return got, tables
}

// dtGoldenText reads the `###   @N=` lines of mariadb-binlog -vv output for
// our column types in the given tables (nil: in every table).
func dtGoldenText(t *testing.T, path string, tables map[string]bool) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	table := ""
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		line := sc.Text()
		for _, p := range []string{"### INSERT INTO ", "### UPDATE ", "### DELETE FROM "} {
			if rest, ok := strings.CutPrefix(line, p); ok {
				_, tbl, _ := strings.Cut(rest, "`.`")
				table = strings.TrimSuffix(tbl, "`")
			}
		}
		rest, ok := strings.CutPrefix(line, "###   @")
		if !ok || tables != nil && !tables[table] {
			continue
		}
		num, rest, _ := strings.Cut(rest, "=")
		val, comment, ok := strings.Cut(rest, " /* ")
		if !ok {
			t.Fatalf("odd line %q", line)
		}
		typ, _, _ := strings.Cut(comment, " ")
		typ, _, _ = strings.Cut(typ, "(")
		switch typ {
		case "DECIMAL", "DATE", "TIME", "DATETIME", "TIMESTAMP":
		default:
			continue
		}
		if _, err := strconv.Atoi(num); err != nil {
			t.Fatalf("odd line %q", line)
		}
		out = append(out, fmt.Sprintf("%s @%s=%s", table, num, strings.TrimRight(val, " ")))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRecordedGoldens compares every DECIMAL and temporal value of the
// project's recorded MariaDB binlogs (full and minimal images), and of the
// shared corpus files that hold such values, with mariadb-binlog -vv's
// output, and re-encodes each to its logged bytes.
func TestRecordedGoldens(t *testing.T) {
	files := recordedFiles(t)
	golden := func(path string) string { return path + ".mariadb-binlog.txt" }
	// The shared corpus files whose rows hold our types.
	for _, name := range []string{"mariadb-bin.000001", "time_issue.000001"} {
		path := filepath.Join(dtSharedBinlogs, name)
		if _, err := os.Stat(path); err == nil {
			files = append(files, path)
		}
	}
	total := 0
	for _, path := range files {
		if strings.HasPrefix(path, dtSharedBinlogs) {
			golden = func(path string) string {
				return filepath.Join(dtSharedBinlogs, "mariadb-binlog-output", filepath.Base(path)+".mariadb-binlog.txt")
			}
		}
		t.Run(filepath.Base(path), func(t *testing.T) {
			got, tables := dtGoldenRows(t, path)
			want := dtGoldenText(t, golden(path), tables)
			for i := 0; i < len(got) || i < len(want); i++ {
				g, w := "(none)", "(none)"
				if i < len(got) {
					g = got[i]
				}
				if i < len(want) {
					w = want[i]
				}
				if g != w {
					t.Fatalf("value %d: got %s, mariadb-binlog %s", i, g, w)
				}
			}
			if all := dtGoldenText(t, golden(path), nil); len(all) != len(got) {
				t.Errorf("%d of %d values walked: a table with our types was skipped", len(got), len(all))
			}
			total += len(got)
			if strings.HasSuffix(path, "full.000001") && (!tables["nums"] || !tables["temporal"] || len(got) < 300) {
				t.Errorf("nums/temporal not covered: %d values, tables %v", len(got), tables)
			}
		})
	}
	t.Logf("%d DECIMAL and temporal values match mariadb-binlog", total)
}

func ExampleTimeValue() {
	v := TimeValue(true, 507, 48, 27, 0, 0)
	fmt.Println(string(v.AppendTemporal(nil)), v.TimeDuration())
	ts := TimestampValue(1700000000, 123456, 6)
	fmt.Println(string(ts.AppendTemporal(nil)))
	fmt.Println(string(AppendTimestampSeconds(nil, ts)))
	// Output:
	// -507:48:27 -507h48m27s
	// 2023-11-14 22:13:20.123456
	// 1700000000.123456
}
