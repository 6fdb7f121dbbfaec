package rowcodec

import (
	"math/rand/v2"
	"testing"
	"time"
)

// appendTemporalTextReference is appendTemporalText before DATETIME and
// TIMESTAMP text was written two digits at a time (a TIMESTAMP of 0
// seconds is the zero value only without a fraction: MariaDB stores
// '1970-01-01 00:00:00.5' UTC as 0 seconds and 5 tenths).
func appendTemporalTextReference(dst []byte, v Value) []byte {
	if v.flag&tmFlagInvalid != 0 {
		return dst
	}
	switch v.kind {
	case KindDate:
		y, mo, d, _, _, _, _ := tmUnpack(v.num)
		return tmAppendDate(dst, y, mo, d, '-')
	case KindDatetime:
		y, mo, d, h, mi, s, us := tmUnpack(v.num)
		dst = tmAppendDate(dst, y, mo, d, '-')
		dst = append(dst, ' ')
		return tmAppendClock(dst, h, mi, s, us, int(v.aux))
	case KindTime:
		neg, h, mi, s, us := v.Time()
		if neg {
			dst = append(dst, '-')
		}
		return tmAppendClock(dst, h, mi, s, us, int(v.aux))
	case KindTimestamp:
		sec, us := v.Timestamp()
		if sec == 0 && us == 0 {
			dst = append(dst, "0000-00-00 00:00:00"...)
			return tmAppendFrac(dst, 0, int(v.aux))
		}
		t := time.Unix(sec, 0).UTC()
		y, mo, d := t.Date()
		h, mi, s := t.Clock()
		dst = tmAppendDate(dst, y, int(mo), d, '-')
		dst = append(dst, ' ')
		return tmAppendClock(dst, h, mi, s, us, int(v.aux))
	}
	return dst
}

// TestAppendTemporalTextMatchesReference compares appendTemporalText with
// the reference on every kind, every fsp (and invalid ones), fields at
// and beyond their ranges (as packed bits allow), and random values.
func TestAppendTemporalTextMatchesReference(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	kinds := []Kind{KindDate, KindDatetime, KindTimestamp, KindTime}
	var vals []Value
	for _, k := range kinds {
		for fsp := uint32(0); fsp <= 8; fsp++ {
			for _, num := range []uint64{0, 1, tmPack(9999, 12, 31, 23, 59, 59, 999999), tmPack(1, 1, 1, 0, 0, 0, 1),
				1<<64 - 1, tmPack(2026, 11, 21, 20, 15, 0, 123456)} {
				vals = append(vals, Value{kind: k, aux: fsp, num: num}, Value{kind: k, aux: fsp, num: num, flag: tmFlagInvalid})
			}
		}
	}
	for range 300000 {
		k := kinds[r.IntN(len(kinds))]
		v := Value{kind: k, aux: uint32(r.IntN(9))}
		switch r.IntN(3) {
		case 0:
			v.num = r.Uint64()
		case 1:
			v.num = tmPack(r.IntN(10000), r.IntN(13), r.IntN(32), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000000))
		default:
			v = TimestampValue(r.Int64N(1<<32), r.IntN(1000000), r.IntN(7))
			if r.IntN(2) == 0 {
				v = DatetimeValue(r.IntN(10000), r.IntN(13), r.IntN(32), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000000), r.IntN(7))
			}
		}
		if r.IntN(10) == 0 {
			v.flag |= tmFlagInvalid
		}
		vals = append(vals, v)
	}
	prefix := []byte("t=")
	for _, v := range vals {
		got := string(appendTemporalText(append([]byte(nil), prefix...), v))
		want := string(appendTemporalTextReference(append([]byte(nil), prefix...), v))
		if got != want {
			t.Fatalf("%#v: got %q, want %q", v, got, want)
		}
	}
}

func BenchmarkAppendDatetimeText(b *testing.B) {
	v := DatetimeValue(2026, 11, 21, 20, 15, 7, 123456, 6)
	buf := make([]byte, 0, 64)
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			buf = appendTemporalText(buf[:0], v)
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			buf = appendTemporalTextReference(buf[:0], v)
		}
	})
}
