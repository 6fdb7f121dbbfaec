package rowcodec

import (
	"fmt"
	"slices"
	"time"

	"github.com/binlogkit/binlogkit/event"
)

// Temporal values.
//
// Wire forms (type: bytes):
//   - DATE (10) and NEWDATE (14): 3 bytes little-endian, day | month<<5 | year<<9.
//   - old TIME (11): 3 bytes little-endian signed, ±(h*10000 + m*100 + s).
//   - old DATETIME (12): 8 bytes little-endian, YYYYMMDDhhmmss as an integer.
//   - old TIMESTAMP (7): 4 bytes little-endian, seconds since the epoch (UTC).
//   - TIME2 (19), DATETIME2 (18), TIMESTAMP2 (17): metadata = fsp (0–6); the
//     integer part big-endian, then the fraction in (fsp+1)/2 bytes
//     big-endian (fsp 1–2: hundredths, 3–4: 1/10000 s, 5–6: µs).
//     TIME2: 3 bytes, 0x800000 + (h<<12 | m<<6 | s) for a positive time; a
//     negative time stores the integer part of the negated packed value
//     (floor) and the fraction's complement, i.e. it borrows one second
//     from the integer part when it has a fraction (fsp 5–6 store the whole
//     48-bit packed value, offset by 0x800000000000).
//     DATETIME2: 5 bytes, 0x8000000000 + ((year*13+month)<<5 | day)<<17 |
//     h<<12 | m<<6 | s.
//     TIMESTAMP2: 4 bytes of seconds.
//
// Value packing (num):
//   - KindDate, KindDatetime: year<<46 | month<<42 | day<<37 | hour<<32 |
//     minute<<26 | second<<20 | microsecond; aux = fsp (0 for DATE and the
//     old types). Zero and partial-zero dates ('0000-00-00', '2013-00-00')
//     are values like any other.
//   - KindTime: hour<<32 | minute<<26 | second<<20 | microsecond, flag
//     tmFlagNeg for a negative time (never set on zero); aux = fsp.
//   - KindTimestamp: seconds<<20 | microsecond (UTC; 0 seconds and 0
//     microseconds is MySQL's zero TIMESTAMP, while MariaDB also stores
//     '1970-01-01 00:00:00.5' UTC as 0 seconds and a fraction); aux = fsp.
//
// A constructor given fields out of range returns a value flagged
// tmFlagInvalid, which the encoder rejects. Decoders reject bytes no server
// writes (month 13, minute 60, a fraction of 100 hundredths …) as ErrCorrupt,
// so that every value they return encodes back to the same bytes.

const (
	tmFlagNeg     = 1    // KindTime: negative
	tmFlagInvalid = 0x80 // built from out-of-range fields
)

const (
	tmUsBits   = 20
	tmUsMask   = 1<<tmUsBits - 1
	tmMaxTimeH = 1023 // the TIME2 hour field is 10 bits
)

var tmFracDiv = [7]uint32{1000000, 100000, 10000, 1000, 100, 10, 1}

// tmPack packs date and time fields into the KindDate/KindDatetime layout.
func tmPack(y, mo, d, h, mi, s, us int) uint64 {
	return uint64(y)<<46 | uint64(mo)<<42 | uint64(d)<<37 | uint64(h)<<32 | uint64(mi)<<26 | uint64(s)<<20 | uint64(us)
}

func tmUnpack(n uint64) (y, mo, d, h, mi, s, us int) {
	return int(n >> 46 & 0x3fff), int(n >> 42 & 0xf), int(n >> 37 & 0x1f), int(n >> 32 & 0x1f),
		int(n >> 26 & 0x3f), int(n >> 20 & 0x3f), int(n & tmUsMask)
}

func tmDateOK(y, mo, d int) bool {
	return y >= 0 && y <= 9999 && mo >= 0 && mo <= 12 && d >= 0 && d <= 31
}

func tmClockOK(h, mi, s, us, maxH int) bool {
	return h >= 0 && h <= maxH && mi >= 0 && mi <= 59 && s >= 0 && s <= 59 && us >= 0 && us <= 999999
}

// tmFracOK reports whether us is representable at fsp: the wire keeps
// hundredths for fsp 1–2, 1/10000 s for 3–4, µs for 5–6, nothing for 0.
func tmFracOK(us, fsp int) bool {
	if fsp < 0 || fsp > 6 {
		return false
	}
	return us%int(tmFracUnit(fsp)) == 0
}

// tmFracUnit is the µs value of one unit of the stored fraction at fsp.
func tmFracUnit(fsp int) uint32 {
	switch fsp {
	case 0:
		return 1000000
	case 1, 2:
		return 10000
	case 3, 4:
		return 100
	}
	return 1
}

// DateValue returns a DATE value. Zero and partial-zero dates are allowed
// (year 0–9999, month 0–12, day 0–31).
func DateValue(y, m, d int) Value {
	v := Value{kind: KindDate}
	if !tmDateOK(y, m, d) {
		v.flag = tmFlagInvalid
		return v
	}
	v.num = tmPack(y, m, d, 0, 0, 0, 0)
	return v
}

// DatetimeValue returns a DATETIME value with fsp (0–6) fractional digits;
// us is in microseconds (for fsp 3, .7 is us 700000). Zero and partial-zero
// dates are allowed.
func DatetimeValue(y, mo, d, h, mi, s, us, fsp int) Value {
	v := Value{kind: KindDatetime, aux: uint32(fsp)}
	if !tmDateOK(y, mo, d) || !tmClockOK(h, mi, s, us, 23) || fsp < 0 || fsp > 6 {
		v.flag = tmFlagInvalid
		v.aux = 0
		return v
	}
	v.num = tmPack(y, mo, d, h, mi, s, us)
	return v
}

// TimeValue returns a TIME value: hours may exceed 24 (up to 1023, though
// MySQL's range ends at 838:59:59); neg makes it negative. A negative zero
// is zero.
func TimeValue(neg bool, h, mi, s, us, fsp int) Value {
	v := Value{kind: KindTime, aux: uint32(fsp)}
	if !tmClockOK(h, mi, s, us, tmMaxTimeH) || fsp < 0 || fsp > 6 {
		v.flag = tmFlagInvalid
		v.aux = 0
		return v
	}
	v.num = uint64(h)<<32 | uint64(mi)<<26 | uint64(s)<<20 | uint64(us)
	if neg && v.num != 0 {
		v.flag = tmFlagNeg
	}
	return v
}

// TimestampValue returns a TIMESTAMP value: sec seconds since 1970-01-01
// 00:00:00 UTC (0 to 2^32-1; 0 with us 0 is MySQL's zero TIMESTAMP) and us
// microseconds, with fsp fractional digits.
func TimestampValue(sec int64, us, fsp int) Value {
	v := Value{kind: KindTimestamp, aux: uint32(fsp)}
	if sec < 0 || sec > 0xffffffff || us < 0 || us > 999999 || fsp < 0 || fsp > 6 {
		v.flag = tmFlagInvalid
		v.aux = 0
		return v
	}
	v.num = uint64(sec)<<tmUsBits | uint64(us)
	return v
}

// Date returns the date of a DATE or DATETIME value (zeros may appear:
// '2013-00-00' is 2013, 0, 0).
func (v Value) Date() (y, m, d int) {
	if v.kind != KindDate && v.kind != KindDatetime {
		return 0, 0, 0
	}
	y, m, d, _, _, _, _ = tmUnpack(v.num)
	return
}

// Datetime returns the fields of a DATETIME (or DATE) value; us is in
// microseconds.
func (v Value) Datetime() (y, mo, d, h, mi, s, us int) {
	if v.kind != KindDate && v.kind != KindDatetime {
		return
	}
	return tmUnpack(v.num)
}

// Time returns a TIME value's sign and fields; h may exceed 23.
func (v Value) Time() (neg bool, h, mi, s, us int) {
	if v.kind != KindTime {
		return
	}
	n := v.num
	return v.flag&tmFlagNeg != 0, int(n >> 32 & 0xffff), int(n >> 26 & 0x3f), int(n >> 20 & 0x3f), int(n & tmUsMask)
}

// TimeDuration returns a TIME value as a time.Duration.
func (v Value) TimeDuration() time.Duration {
	neg, h, mi, s, us := v.Time()
	d := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute + time.Duration(s)*time.Second +
		time.Duration(us)*time.Microsecond
	if neg {
		d = -d
	}
	return d
}

// Timestamp returns a TIMESTAMP value's UTC seconds since the epoch and
// microseconds.
func (v Value) Timestamp() (sec int64, us int) {
	if v.kind != KindTimestamp {
		return 0, 0
	}
	return int64(v.num >> tmUsBits), int(v.num & tmUsMask)
}

// Fsp returns the fractional-seconds precision of a temporal value (0–6).
func (v Value) Fsp() int {
	switch v.kind {
	case KindDatetime, KindTime, KindTimestamp:
		return int(v.aux)
	}
	return 0
}

// GoTime returns a DATE, DATETIME or TIMESTAMP value as a time.Time in UTC.
// ok is false for zero and partial-zero dates (a zero year, month or day),
// for days a month does not have, for MySQL's zero TIMESTAMP (0 seconds and
// 0 microseconds), and for other kinds (TIME is a duration: see
// TimeDuration).
func (v Value) GoTime() (time.Time, bool) {
	switch v.kind {
	case KindDate, KindDatetime:
		if v.flag&tmFlagInvalid != 0 {
			return time.Time{}, false
		}
		y, mo, d, h, mi, s, us := tmUnpack(v.num)
		if y == 0 || mo == 0 || d == 0 {
			return time.Time{}, false
		}
		t := time.Date(y, time.Month(mo), d, h, mi, s, us*1000, time.UTC)
		if t.Day() != d {
			return time.Time{}, false
		}
		return t, true
	case KindTimestamp:
		sec, us := v.Timestamp()
		if v.flag&tmFlagInvalid != 0 || sec == 0 && us == 0 {
			return time.Time{}, false
		}
		return time.Unix(sec, int64(us)*1000).UTC(), true
	}
	return time.Time{}, false
}

func tmFsp(c *Column) (int, error) {
	if c.Meta > 6 {
		return 0, corruptf("%s: fractional precision %d (metadata) is over 6", c.Type.String(), c.Meta)
	}
	return int(c.Meta), nil
}

// hiresFsp returns the Precision of an old-type temporal column given one.
func hiresFsp(c *Column) (int, error) {
	if c.Precision > 6 {
		return 0, corruptf("%s: fractional precision %d is over 6", c.Type.String(), c.Precision)
	}
	return c.Precision, nil
}

// tmFracLen is the number of fraction bytes at fsp.
func tmFracLen(fsp int) int { return (fsp + 1) / 2 }

func tmBE(b []byte) uint64 {
	var x uint64
	for _, c := range b {
		x = x<<8 | uint64(c)
	}
	return x
}

func tmLE(b []byte) uint64 {
	var x uint64
	for i := len(b) - 1; i >= 0; i-- {
		x = x<<8 | uint64(b[i])
	}
	return x
}

func tmAppendBE(dst []byte, x uint64, n int) []byte {
	for k := n - 1; k >= 0; k-- {
		dst = append(dst, byte(x>>(8*k)))
	}
	return dst
}

func tmAppendLE(dst []byte, x uint64, n int) []byte {
	for k := 0; k < n; k++ {
		dst = append(dst, byte(x>>(8*k)))
	}
	return dst
}

// tmFracUs converts a non-negative stored fraction at fsp to microseconds,
// reporting false when it is out of range.
func tmFracUs(f uint64, fsp int) (int, bool) {
	us := f * uint64(tmFracUnit(fsp))
	if fsp == 0 || us > 999999 {
		return 0, fsp == 0 && f == 0
	}
	return int(us), true
}

// decodeTemporal decodes a DATE, NEWDATE, TIME, TIME2, DATETIME, DATETIME2,
// TIMESTAMP or TIMESTAMP2 value at the start of b.
func decodeTemporal(c *Column, b []byte) (Value, int, error) {
	if c.Precision > 0 && isOldTemporal(c) {
		fsp, err := hiresFsp(c)
		if err != nil {
			return Value{}, 0, err
		}
		return decodeHires(c, b, fsp)
	}
	switch c.Type {
	case event.ColumnTypeDate, event.ColumnTypeNewDate:
		if len(b) < 3 {
			return Value{}, 0, truncated("DATE value", 3, len(b))
		}
		x := tmLE(b[:3])
		y, mo, d := int(x>>9), int(x>>5&0xf), int(x&0x1f)
		if !tmDateOK(y, mo, d) {
			return Value{}, 0, corruptf("DATE %04d-%02d-%02d out of range", y, mo, d)
		}
		return Value{kind: KindDate, num: tmPack(y, mo, d, 0, 0, 0, 0)}, 3, nil

	case event.ColumnTypeTime:
		if len(b) < 3 {
			return Value{}, 0, truncated("TIME value", 3, len(b))
		}
		x := int32(uint32(tmLE(b[:3]))<<8) >> 8 // sign-extend 24 bits
		neg := x < 0
		if neg {
			x = -x
		}
		h, mi, s := int(x/10000), int(x/100%100), int(x%100)
		if !tmClockOK(h, mi, s, 0, 838) {
			return Value{}, 0, corruptf("TIME %d:%02d:%02d out of range", h, mi, s)
		}
		v := TimeValue(neg, h, mi, s, 0, 0)
		return v, 3, nil

	case event.ColumnTypeDatetime:
		if len(b) < 8 {
			return Value{}, 0, truncated("DATETIME value", 8, len(b))
		}
		x := tmLE(b[:8])
		dp, tp := x/1000000, x%1000000
		y, mo, d := dp/10000, dp/100%100, dp%100
		h, mi, s := tp/10000, tp/100%100, tp%100
		if y > 9999 || !tmDateOK(int(y), int(mo), int(d)) || !tmClockOK(int(h), int(mi), int(s), 0, 23) {
			return Value{}, 0, corruptf("DATETIME %d out of range", x)
		}
		return Value{kind: KindDatetime, num: tmPack(int(y), int(mo), int(d), int(h), int(mi), int(s), 0)}, 8, nil

	case event.ColumnTypeTimestamp:
		if len(b) < 4 {
			return Value{}, 0, truncated("TIMESTAMP value", 4, len(b))
		}
		return Value{kind: KindTimestamp, num: tmLE(b[:4]) << tmUsBits}, 4, nil

	case event.ColumnTypeTimestamp2:
		fsp, err := tmFsp(c)
		if err != nil {
			return Value{}, 0, err
		}
		n := 4 + tmFracLen(fsp)
		if len(b) < n {
			return Value{}, 0, truncated("TIMESTAMP value", n, len(b))
		}
		us, ok := tmFracUs(tmBE(b[4:n]), fsp)
		if !ok {
			return Value{}, 0, corruptf("TIMESTAMP(%d): fraction % x out of range", fsp, b[4:n])
		}
		return Value{kind: KindTimestamp, aux: uint32(fsp), num: tmBE(b[:4])<<tmUsBits | uint64(us)}, n, nil

	case event.ColumnTypeDatetime2:
		fsp, err := tmFsp(c)
		if err != nil {
			return Value{}, 0, err
		}
		n := 5 + tmFracLen(fsp)
		if len(b) < n {
			return Value{}, 0, truncated("DATETIME value", n, len(b))
		}
		x := tmBE(b[:5])
		if x < 0x8000000000 {
			return Value{}, 0, corruptf("DATETIME(%d): negative value % x", fsp, b[:5])
		}
		x -= 0x8000000000
		ymd, hms := x>>17, x&(1<<17-1)
		ym := ymd >> 5
		y, mo, d := int(ym/13), int(ym%13), int(ymd&0x1f)
		h, mi, s := int(hms>>12), int(hms>>6&0x3f), int(hms&0x3f)
		us, ok := tmFracUs(tmBE(b[5:n]), fsp)
		if !ok || !tmDateOK(y, mo, d) || !tmClockOK(h, mi, s, us, 23) {
			return Value{}, 0, corruptf("DATETIME(%d): % x out of range", fsp, b[:n])
		}
		return Value{kind: KindDatetime, aux: uint32(fsp), num: tmPack(y, mo, d, h, mi, s, us)}, n, nil

	case event.ColumnTypeTime2:
		fsp, err := tmFsp(c)
		if err != nil {
			return Value{}, 0, err
		}
		n := 3 + tmFracLen(fsp)
		if len(b) < n {
			return Value{}, 0, truncated("TIME value", n, len(b))
		}
		packed, ok := tmTime2Packed(b[:n], fsp)
		if !ok {
			return Value{}, 0, corruptf("TIME(%d): fraction % x out of range", fsp, b[3:n])
		}
		neg := packed < 0
		if neg {
			packed = -packed
		}
		hms, us := packed>>24, int(packed&(1<<24-1))
		h, mi, s := int(hms>>12&0x3ff), int(hms>>6&0x3f), int(hms&0x3f)
		if hms>>22 != 0 || !tmClockOK(h, mi, s, us, tmMaxTimeH) {
			return Value{}, 0, corruptf("TIME(%d): % x out of range", fsp, b[:n])
		}
		v := TimeValue(neg, h, mi, s, us, fsp)
		return v, n, nil
	}
	return Value{}, 0, unsupportedf("column type %d is not a temporal type", c.Type)
}

// tmTime2Packed turns TIME2 bytes into MySQL's packed time: (h<<12|m<<6|s)<<24
// + µs, negated for a negative time. ok is false for a fraction out of range.
func tmTime2Packed(b []byte, fsp int) (int64, bool) {
	intpart := int64(tmBE(b[:3])) - 0x800000
	switch fsp {
	case 0:
		return intpart << 24, true
	case 5, 6:
		packed := int64(tmBE(b[:6])) - 0x800000000000
		abs := packed
		if abs < 0 {
			abs = -abs
		}
		return packed, abs&(1<<24-1) <= 999999
	}
	width := uint(8 * tmFracLen(fsp))
	frac := int64(tmBE(b[3:]))
	if intpart < 0 && frac != 0 {
		// A negative time with a fraction is stored as the next lower
		// integer and the fraction's complement.
		intpart++
		frac -= 1 << width
	}
	unit := int64(tmFracUnit(fsp))
	us := frac * unit
	if us > 999999 || us < -999999 {
		return 0, false
	}
	return intpart<<24 + us, true
}

// appendTemporal appends the binary form of v for column c.
func appendTemporal(dst []byte, c *Column, v Value) ([]byte, error) {
	if v.flag&tmFlagInvalid != 0 {
		return dst, fmt.Errorf("rowcodec: %v value built from out-of-range fields", v.kind)
	}
	want := KindNull
	switch c.Type {
	case event.ColumnTypeDate, event.ColumnTypeNewDate:
		want = KindDate
	case event.ColumnTypeTime, event.ColumnTypeTime2:
		want = KindTime
	case event.ColumnTypeDatetime, event.ColumnTypeDatetime2:
		want = KindDatetime
	case event.ColumnTypeTimestamp, event.ColumnTypeTimestamp2:
		want = KindTimestamp
	default:
		return dst, unsupportedf("column type %d is not a temporal type", c.Type)
	}
	if v.kind != want {
		return dst, fmt.Errorf("rowcodec: %v value for a %s column", v.kind, c.Type.String())
	}
	if c.Precision > 0 && isOldTemporal(c) {
		fsp, err := hiresFsp(c)
		if err != nil {
			return dst, err
		}
		return appendHires(dst, c, v, fsp)
	}
	fsp := 0
	switch c.Type {
	case event.ColumnTypeTime2, event.ColumnTypeDatetime2, event.ColumnTypeTimestamp2:
		var err error
		if fsp, err = tmFsp(c); err != nil {
			return dst, err
		}
	}
	switch v.kind {
	case KindDate:
		y, mo, d, _, _, _, _ := tmUnpack(v.num)
		return tmAppendLE(dst, uint64(d|mo<<5|y<<9), 3), nil

	case KindDatetime:
		y, mo, d, h, mi, s, us := tmUnpack(v.num)
		if !tmDateOK(y, mo, d) || !tmClockOK(h, mi, s, us, 23) || !tmFracOK(us, fsp) {
			return dst, fmt.Errorf("rowcodec: DATETIME value does not fit %s(%d)", c.Type.String(), fsp)
		}
		if c.Type == event.ColumnTypeDatetime {
			x := uint64(((y*100+mo)*100+d))*1000000 + uint64((h*100+mi)*100+s)
			return tmAppendLE(dst, x, 8), nil
		}
		x := uint64((y*13+mo)<<5|d)<<17 | uint64(h<<12|mi<<6|s)
		dst = tmAppendBE(dst, x+0x8000000000, 5)
		return tmAppendBE(dst, uint64(us)/uint64(tmFracUnit(fsp)), tmFracLen(fsp)), nil

	case KindTime:
		neg, h, mi, s, us := v.Time()
		if !tmClockOK(h, mi, s, us, tmMaxTimeH) || !tmFracOK(us, fsp) {
			return dst, fmt.Errorf("rowcodec: TIME value does not fit %s(%d)", c.Type.String(), fsp)
		}
		if c.Type == event.ColumnTypeTime {
			x := int64((h*100+mi)*100 + s)
			if x > 0x7fffff {
				return dst, fmt.Errorf("rowcodec: TIME value %d:%02d:%02d does not fit the old TIME type", h, mi, s)
			}
			if neg {
				x = -x
			}
			return tmAppendLE(dst, uint64(x)&0xffffff, 3), nil
		}
		packed := int64(h<<12|mi<<6|s)<<24 + int64(us)
		if neg {
			packed = -packed
		}
		return tmAppendTime2(dst, packed, fsp), nil

	case KindTimestamp:
		sec, us := v.Timestamp()
		if !tmFracOK(us, fsp) {
			return dst, fmt.Errorf("rowcodec: TIMESTAMP value does not fit %s(%d)", c.Type.String(), fsp)
		}
		if c.Type == event.ColumnTypeTimestamp {
			return tmAppendLE(dst, uint64(sec), 4), nil
		}
		dst = tmAppendBE(dst, uint64(sec), 4)
		return tmAppendBE(dst, uint64(us)/uint64(tmFracUnit(fsp)), tmFracLen(fsp)), nil
	}
	return dst, nil
}

// tmAppendTime2 writes MySQL's packed time at fsp: the integer part is the
// floor of packed/2^24 and the fraction the truncated remainder, stored in
// two's complement (the complement of a negative time's fraction).
func tmAppendTime2(dst []byte, packed int64, fsp int) []byte {
	if fsp >= 5 {
		return tmAppendBE(dst, uint64(packed+0x800000000000), 6)
	}
	dst = tmAppendBE(dst, uint64(packed>>24+0x800000), 3)
	if fsp == 0 {
		return dst
	}
	frac := packed % (1 << 24) / int64(tmFracUnit(fsp))
	return tmAppendBE(dst, uint64(frac), tmFracLen(fsp))
}

// appendTemporalText appends v as MySQL prints it ('2024-01-02 03:04:05.123456'
// without quotes; TIMESTAMP in UTC).
//
// The fraction has exactly fsp digits (`.7` at fsp 3 is `.700`). TIME has a
// sign and at least two hour digits (`-838:59:59`, `100:08:04`). A TIMESTAMP
// of 0 seconds and 0 microseconds is MySQL's zero value and prints
// `0000-00-00 00:00:00` (with fsp zeros).
func appendTemporalText(dst []byte, v Value) []byte {
	if v.flag&tmFlagInvalid != 0 {
		return dst
	}
	switch v.kind {
	case KindDate:
		y, mo, d, _, _, _, _ := tmUnpack(v.num)
		return tmAppendDate(dst, y, mo, d, '-')
	case KindDatetime:
		y, mo, d, h, mi, s, us := tmUnpack(v.num)
		return tmAppendDatetime(dst, y, mo, d, h, mi, s, us, int(v.aux))
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
		return tmAppendDatetime(dst, y, int(mo), d, h, mi, s, us, int(v.aux))
	}
	return dst
}

// AppendTimestampSeconds appends a TIMESTAMP value as mysqlbinlog prints it
// in `###   @N=` lines: the UTC seconds since the epoch, then a point and
// fsp fraction digits when fsp > 0 (`1700000000.123456`, `0.000`). It
// appends nothing for other kinds.
func AppendTimestampSeconds(dst []byte, v Value) []byte {
	if v.kind != KindTimestamp || v.flag&tmFlagInvalid != 0 {
		return dst
	}
	sec, us := v.Timestamp()
	dst = tmAppendUint(dst, uint64(sec), 1)
	return tmAppendFrac(dst, us, int(v.aux))
}

// AppendBinlogTemporal appends a temporal value as mysqlbinlog -vv prints it
// in `###   @N=` lines, without the quotes it puts around all but TIMESTAMP:
// DATE with colons (`2013:00:00`), TIMESTAMP as seconds
// (AppendTimestampSeconds), TIME and DATETIME as Value.AppendTemporal does.
func AppendBinlogTemporal(dst []byte, v Value) []byte {
	switch v.kind {
	case KindDate:
		if v.flag&tmFlagInvalid != 0 {
			return dst
		}
		y, mo, d, _, _, _, _ := tmUnpack(v.num)
		return tmAppendDate(dst, y, mo, d, ':')
	case KindTimestamp:
		return AppendTimestampSeconds(dst, v)
	}
	return appendTemporalText(dst, v)
}

// AppendTemporal appends a DATE, TIME, DATETIME or TIMESTAMP value as MySQL
// prints it in query results (TIMESTAMP in UTC); nothing for other kinds.
func (v Value) AppendTemporal(dst []byte) []byte { return appendTemporalText(dst, v) }

// tmDigits2 is "00" through "99".
var tmDigits2 = func() (t [200]byte) {
	for i := range 100 {
		t[2*i], t[2*i+1] = byte('0'+i/10), byte('0'+i%10)
	}
	return t
}()

// tmPut2 writes x (0–99) as two digits.
func tmPut2(b []byte, x int) {
	b[0], b[1] = tmDigits2[2*x], tmDigits2[2*x+1]
}

// tmAppendDatetime appends "y-mo-d h:mi:s" and fsp fraction digits, as
// tmAppendDate, a space and tmAppendClock do: two digits at a time into
// space reserved once when every field fits its width (any valid value),
// through them otherwise.
func tmAppendDatetime(dst []byte, y, mo, d, h, mi, s, us, fsp int) []byte {
	if uint(y) > 9999 || uint(mo) > 99 || uint(d) > 99 || uint(h) > 99 || uint(mi) > 99 || uint(s) > 99 || uint(us) > 999999 {
		dst = tmAppendDate(dst, y, mo, d, '-')
		dst = append(dst, ' ')
		return tmAppendClock(dst, h, mi, s, us, fsp)
	}
	n := 19
	if fsp > 0 && fsp <= 6 {
		n += 1 + fsp
	}
	l := len(dst)
	dst = slices.Grow(dst, n)[:l+n]
	b := dst[l:]
	tmPut2(b[0:2], y/100)
	tmPut2(b[2:4], y%100)
	b[4] = '-'
	tmPut2(b[5:7], mo)
	b[7] = '-'
	tmPut2(b[8:10], d)
	b[10] = ' '
	tmPut2(b[11:13], h)
	b[13] = ':'
	tmPut2(b[14:16], mi)
	b[16] = ':'
	tmPut2(b[17:19], s)
	if n > 19 {
		b[19] = '.'
		f := uint32(us) / tmFracDiv[fsp]
		for i := 19 + fsp; i > 19; i-- {
			b[i] = byte('0' + f%10)
			f /= 10
		}
	}
	return dst
}

func tmAppendDate(dst []byte, y, mo, d int, sep byte) []byte {
	dst = tmAppendUint(dst, uint64(y), 4)
	dst = append(dst, sep)
	dst = tmAppendUint(dst, uint64(mo), 2)
	dst = append(dst, sep)
	return tmAppendUint(dst, uint64(d), 2)
}

func tmAppendClock(dst []byte, h, mi, s, us, fsp int) []byte {
	dst = tmAppendUint(dst, uint64(h), 2)
	dst = append(dst, ':')
	dst = tmAppendUint(dst, uint64(mi), 2)
	dst = append(dst, ':')
	dst = tmAppendUint(dst, uint64(s), 2)
	return tmAppendFrac(dst, us, fsp)
}

func tmAppendFrac(dst []byte, us, fsp int) []byte {
	if fsp <= 0 || fsp > 6 {
		return dst
	}
	dst = append(dst, '.')
	return tmAppendUint(dst, uint64(us)/uint64(tmFracDiv[fsp]), fsp)
}

// tmAppendUint appends x in decimal with at least width digits.
func tmAppendUint(dst []byte, x uint64, width int) []byte {
	var d [20]byte
	i := len(d)
	for x > 0 || len(d)-i < width {
		i--
		d[i] = byte('0' + x%10)
		x /= 10
	}
	return append(dst, d[i:]...)
}
