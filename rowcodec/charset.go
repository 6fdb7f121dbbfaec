package rowcodec

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// Character strings (KindString) hold the column's bytes exactly as the
// server stored them, in the column's character set; aux is the collation
// id (0: unknown, when the table map carried no charset metadata) and flag
// is unused. Binary strings are KindBytes and carry no collation.
//
// Conversion to UTF-8 (AppendUTF8) never substitutes: bytes that do not
// decode in their character set are appended unchanged and reported with
// ok=false, so the caller can print them as hex or escape them.
//
// How each character set is converted:
//   - utf8mb4, utf8mb3: validated only (utf8.Valid; utf8mb3 also rejects
//     4-byte characters, which it cannot store), copied.
//   - ascii: copied when every byte is below 0x80.
//   - latin1 and the other single-byte sets (cp1250, cp1251, cp1256, cp1257,
//     cp850, cp852, cp866, koi8r, koi8u, greek, hebrew, latin2, latin5,
//     latin7, tis620, macroman, macce, armscii8, geostd8, keybcs2, dec8, hp8,
//     swe7): a 256-entry table per set taken from the server's own
//     conversion (see singleByteTables). MySQL's latin1 is Windows cp1252,
//     not ISO-8859-1: 0x80 is €, 0x92 is ’; its five undefined bytes 0x81,
//     0x8D, 0x8F, 0x90 and 0x9D map to the C1 controls U+0081… as the server
//     maps them. The tables are used instead of x/text's charmaps because
//     those differ from the server in greek, hebrew, tis620, koi8u, cp866
//     and cp1256 (and leave 0x80–0x9F of the ISO sets undefined, which the
//     server maps to C1 controls).
//   - ucs2 (UTF-16BE without surrogates), utf16 (UTF-16BE), utf16le and
//     utf32 (UTF-32BE): decoded by hand; unpaired surrogates, odd lengths
//     and code points above U+10FFFF do not convert.
//   - gbk, gb2312, big5, ujis, eucjpms, sjis, cp932, euckr, gb18030:
//     golang.org/x/text decoders (GBK for gbk and gb2312, Big5, EUC-JP for
//     ujis and eucjpms, Shift_JIS for sjis and cp932, EUC-KR, GB18030).
//     Those follow the WHATWG Encoding Standard, which maps more than the
//     server (HKSCS in Big5, GBK in gb2312, cp932's extensions in sjis, 0x80
//     as € in gbk, …) and maps some codes differently (sjis/ujis 0x815F is
//     "\" for the server, "＼" for WHATWG). A scan with the server's byte
//     structure runs first (see xDecoder): it rejects what the server
//     rejects, maps the user-defined areas to the Private Use Area as the
//     server does, and applies the fixes generated from the server's own
//     conversion (collations.go). With it, every one- and two-byte sequence
//     of these sets converts exactly as MariaDB 10.11 converts it (checked
//     by TestConversionMatchesMariaDB, build tag integration), and the
//     three-byte JIS X 0212 codes of ujis too; eucjpms's 106 IBM extension
//     codes 0x8FF3F3–0x8FF4FE do not convert (best effort). gb18030, which
//     MariaDB lacks, is x/text's GB18030 decoder as it is, not checked
//     against a server. An x/text decoder replaces invalid input
//     with U+FFFD; any U+FFFD in its output that the input did not encode
//     (only gb18030 can, as 84 31 A4 37) makes the conversion fail.
//   - binary, and unknown collation ids: not converted (ok=false).
//
// Cost: utf8mb4/utf8mb3/ascii/latin1, the single-byte sets and the UTF-16/32
// family never allocate when dst has room (len(src) bytes are enough for
// utf8mb*/ascii, 3*len(src) always are). The x/text sets take a decoder
// from a per-charset sync.Pool (no allocation in steady state) and grow dst
// only when it is too small.

// Charset returns the character set name of a string value ("utf8mb4",
// "latin1", …; "binary" for KindBytes), or "" when unknown or not a string.
func (v Value) Charset() string { return CharsetName(v.Collation()) }

// CharsetName returns the character set of a collation id ("utf8mb4",
// "latin1", "gbk", "binary", …), or "" when the id is unknown. MySQL's
// utf8 is reported as "utf8mb3".
func CharsetName(collation uint16) string {
	cs := collationCharset(collation)
	if cs == csUnknown {
		return ""
	}
	return charsets[cs].name
}

// AppendUTF8 appends a string value converted to UTF-8 from its column's
// character set, as AppendUTF8From does. ok is false (and the bytes are
// appended unchanged) when the value is not a character string
// (KindString), when the charset is unknown or binary, or when the bytes do
// not convert.
func (v Value) AppendUTF8(dst []byte) (out []byte, ok bool) {
	if v.kind != KindString {
		return append(dst, v.b...), false
	}
	return AppendUTF8From(dst, uint16(v.aux), v.b)
}

// AppendUTF8From appends src, text in the character set of the collation
// id, converted to UTF-8. ok is false, and src is appended unchanged, when
// the collation is unknown or binary or src does not convert: bytes are
// never replaced by U+FFFD. It serves text found outside Values too
// (statements with the connection's character_set_client, ENUM/SET member
// names, …).
//
// The conversion is the server's own: MySQL's latin1 is Windows cp1252
// (0x80 is €), with 0x81, 0x8D, 0x8F, 0x90 and 0x9D as the C1 controls
// U+0081…; every single-byte set, and every one- and two-byte sequence of
// gbk, gb2312, big5, sjis, cp932, euckr, ujis and eucjpms, converts as
// MariaDB 10.11 converts it; utf8mb3 and utf8mb4 are validated (utf8mb3
// without 4-byte characters); ucs2,
// utf16, utf16le and utf32 are decoded strictly (no unpaired surrogates).
// Best effort: eucjpms's IBM extension codes 0x8FF3F3–0x8FF4FE do not
// convert; gb18030 (MySQL only) is golang.org/x/text's decoder.
//
// It does not allocate when dst has room for the result (3*len(src) bytes
// always suffice; len(src) for utf8mb4, utf8mb3 and ascii). The Asian
// multi-byte sets reuse golang.org/x/text decoders from a per-set
// sync.Pool and convert at roughly 50–80 MB/s, against 400–700 MB/s for
// utf8mb4 and latin1.
func AppendUTF8From(dst []byte, collation uint16, src []byte) (out []byte, ok bool) {
	n0 := len(dst)
	out, ok = appendUTF8(dst, collationCharset(collation), src)
	if !ok {
		out = append(out[:n0], src...)
	}
	return out, ok
}

// appendUTF8 converts src; on failure the caller discards what it appended.
func appendUTF8(dst []byte, cs charsetID, src []byte) ([]byte, bool) {
	switch cs {
	case csUtf8mb4:
		return append(dst, src...), utf8.Valid(src)
	case csUtf8mb3:
		// At most 3 bytes per character: no 4-byte lead bytes.
		for _, c := range src {
			if c >= 0xF0 {
				return dst, false
			}
		}
		return append(dst, src...), utf8.Valid(src)
	case csAscii:
		for _, c := range src {
			if c >= utf8.RuneSelf {
				return dst, false
			}
		}
		return append(dst, src...), true
	case csUcs2:
		return appendUTF16(dst, src, true, false)
	case csUtf16:
		return appendUTF16(dst, src, true, true)
	case csUtf16le:
		return appendUTF16(dst, src, false, true)
	case csUtf32:
		return appendUTF32(dst, src)
	case csUnknown, csBinary:
		return dst, false
	}
	if t := singleByteTables[cs]; t != nil {
		return appendSingleByte(dst, src, t)
	}
	if d := xDecoders[cs]; d != nil {
		return d.append(dst, src)
	}
	return dst, false
}

// appendSingleByte converts through a byte→code point table; ASCII runs are
// copied as they are (every single-byte set but swe7 is ASCII below 0x80,
// and swe7's table says so where it is not).
func appendSingleByte(dst, src []byte, t *[256]uint16) ([]byte, bool) {
	if cap(dst)-len(dst) < len(src) {
		dst = growBytes(dst, len(src)+len(src)/2)
	}
	for _, c := range src {
		r := t[c]
		switch {
		case r < utf8.RuneSelf:
			dst = append(dst, byte(r))
		case r == noRune:
			return dst, false
		default:
			dst = utf8.AppendRune(dst, rune(r))
		}
	}
	return dst, true
}

// noRune marks a byte a single-byte table does not map.
const noRune = 0xFFFF

// appendUTF16 decodes UTF-16 (bigEndian or little-endian); with
// surrogates false (ucs2) a surrogate code unit does not convert.
func appendUTF16(dst, src []byte, bigEndian, surrogates bool) ([]byte, bool) {
	if len(src)%2 != 0 {
		return dst, false
	}
	if need := len(src) / 2 * 3; cap(dst)-len(dst) < need {
		dst = growBytes(dst, need)
	}
	for i := 0; i < len(src); i += 2 {
		u := unit16(src[i:], bigEndian)
		switch {
		case u < utf8.RuneSelf:
			dst = append(dst, byte(u))
			continue
		case u < 0xD800 || u > 0xDFFF:
			dst = utf8.AppendRune(dst, rune(u))
			continue
		case !surrogates || u > 0xDBFF || i+4 > len(src):
			return dst, false
		}
		lo := unit16(src[i+2:], bigEndian)
		if lo < 0xDC00 || lo > 0xDFFF {
			return dst, false
		}
		dst = utf8.AppendRune(dst, 0x10000+(rune(u)-0xD800)<<10+(rune(lo)-0xDC00))
		i += 2
	}
	return dst, true
}

func unit16(b []byte, bigEndian bool) uint16 {
	if bigEndian {
		return uint16(b[0])<<8 | uint16(b[1])
	}
	return uint16(b[1])<<8 | uint16(b[0])
}

// appendUTF32 decodes UTF-32BE.
func appendUTF32(dst, src []byte) ([]byte, bool) {
	if len(src)%4 != 0 {
		return dst, false
	}
	if cap(dst)-len(dst) < len(src) {
		dst = growBytes(dst, len(src))
	}
	for i := 0; i < len(src); i += 4 {
		u := uint32(src[i])<<24 | uint32(src[i+1])<<16 | uint32(src[i+2])<<8 | uint32(src[i+3])
		if u > utf8.MaxRune || (u >= 0xD800 && u <= 0xDFFF) {
			return dst, false
		}
		dst = utf8.AppendRune(dst, rune(u))
	}
	return dst, true
}

// growBytes returns dst with room for at least n more bytes.
func growBytes(dst []byte, n int) []byte {
	if cap(dst)-len(dst) >= n {
		return dst
	}
	out := make([]byte, len(dst), len(dst)+n)
	copy(out, dst)
	return out
}

// xDecoder converts one multi-byte character set through an x/text
// decoder, taken from a pool so that concurrent callers do not share one
// and steady-state conversion does not allocate.
//
// The x/text decoders follow the WHATWG tables, which map more byte
// sequences than the server does, and a few differently. scan, when set,
// walks the input character by character first with the server's rules:
// it rejects the sequences the server does not map and supplies the
// server's code point for the characters the x/text table gets wrong
// (fixes, generated from the server's own conversion, and the user-defined
// areas the server maps to the Private Use Area); runs of other characters
// go to the decoder in one call.
type xDecoder struct {
	enc  encoding.Encoding
	pool sync.Pool
	scan scanFunc
	// fixes: sorted (code, code point) pairs, code point noRune for a
	// code the server does not map.
	fixes []codeFix
	// fixLead[c] is set when some fix has lead byte c.
	fixLead [256]bool
	// fffd is how the set encodes U+FFFD when it can (gb18030), else nil.
	fffd []byte
}

// scanFunc returns the length of the character src starts with (0: bytes
// the server does not accept) and, when the server's code point must
// replace the decoder's, that code point (passThrough otherwise; noRune
// rejects the character).
type scanFunc func(d *xDecoder, src []byte) (n int, r rune)

const passThrough = -1

// codeFix is a double-byte code and the code point the server maps it to.
type codeFix struct{ code, r uint16 }

func newXDecoder(enc encoding.Encoding, scan scanFunc, fixes []codeFix, fffd []byte) *xDecoder {
	d := &xDecoder{enc: enc, scan: scan, fixes: fixes, fffd: fffd}
	for _, f := range fixes {
		d.fixLead[f.code>>8] = true
	}
	d.pool.New = func() any { return enc.NewDecoder() }
	return d
}

var xDecoders = [numCharsets]*xDecoder{
	csGbk:     newXDecoder(simplifiedchinese.GBK, scanGBK, gbkFixes, nil),
	csGb2312:  newXDecoder(simplifiedchinese.GBK, scanGB2312, gb2312Fixes, nil),
	csGb18030: newXDecoder(simplifiedchinese.GB18030, nil, nil, []byte{0x84, 0x31, 0xA4, 0x37}),
	csBig5:    newXDecoder(traditionalchinese.Big5, scanBig5, big5Fixes, nil),
	csUjis:    newXDecoder(japanese.EUCJP, scanUjis, ujisFixes, nil),
	csEucjpms: newXDecoder(japanese.EUCJP, scanEucjpms, eucjpmsFixes, nil),
	csSjis:    newXDecoder(japanese.ShiftJIS, scanSjis, sjisFixes, nil),
	csCp932:   newXDecoder(japanese.ShiftJIS, scanCp932, cp932Fixes, nil),
	csEuckr:   newXDecoder(korean.EUCKR, nil, nil, nil),
}

// fix returns the server's code point for a double-byte code the decoder
// maps differently, or passThrough.
func (d *xDecoder) fix(code uint16) rune {
	if !d.fixLead[code>>8] {
		return passThrough
	}
	lo, hi := 0, len(d.fixes)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if d.fixes[m].code < code {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(d.fixes) && d.fixes[lo].code == code {
		return rune(d.fixes[lo].r)
	}
	return passThrough
}

func between(c, lo, hi byte) bool { return lo <= c && c <= hi }

// scanDouble is the common shape: ASCII, or a lead and a trail byte in the
// given ranges.
func scanDouble(d *xDecoder, src []byte, lead func(byte) bool, trail func(byte) bool) (int, rune) {
	c := src[0]
	if c < utf8.RuneSelf {
		return 1, passThrough
	}
	if !lead(c) || len(src) < 2 || !trail(src[1]) {
		return 0, 0
	}
	return 2, d.fix(uint16(c)<<8 | uint16(src[1]))
}

func scanGBK(d *xDecoder, src []byte) (int, rune) {
	return scanDouble(d, src, func(c byte) bool { return between(c, 0x81, 0xFE) },
		func(c byte) bool { return between(c, 0x40, 0x7E) || between(c, 0x80, 0xFE) })
}

// scanGB2312 accepts EUC-CN: rows 1–9 and 16–87 (0xA1–0xA9, 0xB0–0xF7).
func scanGB2312(d *xDecoder, src []byte) (int, rune) {
	return scanDouble(d, src, func(c byte) bool { return between(c, 0xA1, 0xA9) || between(c, 0xB0, 0xF7) },
		func(c byte) bool { return between(c, 0xA1, 0xFE) })
}

// scanBig5 accepts Big5 proper (leads 0xA1–0xF9), not the HKSCS ranges of
// the WHATWG table.
func scanBig5(d *xDecoder, src []byte) (int, rune) {
	return scanDouble(d, src, func(c byte) bool { return between(c, 0xA1, 0xF9) },
		func(c byte) bool { return between(c, 0x40, 0x7E) || between(c, 0xA1, 0xFE) })
}

func sjisTrail(c byte) bool { return between(c, 0x40, 0x7E) || between(c, 0x80, 0xFC) }

// scanSjis accepts JIS X 0208 Shift_JIS: not the NEC and IBM extension
// rows of cp932 (0x87, 0xED, 0xEE, 0xFA–0xFC).
func scanSjis(d *xDecoder, src []byte) (int, rune) {
	if between(src[0], 0xA1, 0xDF) {
		return 1, passThrough
	}
	return scanDouble(d, src, func(c byte) bool {
		return (between(c, 0x81, 0x9F) || between(c, 0xE0, 0xFC)) && c != 0x87 && c != 0xED && c != 0xEE && c < 0xFA
	}, sjisTrail)
}

// scanCp932 is Windows-31J: the server maps the user-defined area
// 0xF040–0xF9FC to U+E000–U+E757.
func scanCp932(d *xDecoder, src []byte) (int, rune) {
	c := src[0]
	if between(c, 0xA1, 0xDF) {
		return 1, passThrough
	}
	n, r := scanDouble(d, src, func(c byte) bool { return between(c, 0x81, 0x9F) || between(c, 0xE0, 0xFC) }, sjisTrail)
	if n == 2 && between(c, 0xF0, 0xF9) {
		t := rune(src[1]) - 0x40
		if src[1] >= 0x80 {
			t--
		}
		r = 0xE000 + rune(c-0xF0)*188 + t
	}
	return n, r
}

// scanEUCJP walks EUC-JP: half-width katakana (0x8E), JIS X 0212 (0x8F,
// three bytes) and JIS X 0208. The server maps the user-defined rows
// 0xF5–0xFE to U+E000… and 0x8F 0xF5–0xFE to U+E3AC…; eucjpms (ms) keeps
// NEC row 13 (0xAD), which ujis rejects, and maps one JIS X 0212 code
// differently from ujis.
func scanEUCJP(d *xDecoder, src []byte, ms bool) (int, rune) {
	c := src[0]
	switch {
	case c < utf8.RuneSelf:
		return 1, passThrough
	case c == 0x8E:
		if len(src) < 2 || !between(src[1], 0xA1, 0xDF) {
			return 0, 0
		}
		return 2, passThrough
	case c == 0x8F:
		if len(src) < 3 || !between(src[1], 0xA1, 0xFE) || !between(src[2], 0xA1, 0xFE) {
			return 0, 0
		}
		switch code := uint16(src[1])<<8 | uint16(src[2]); {
		case src[1] >= 0xF5:
			return 3, 0xE3AC + rune(src[1]-0xF5)*94 + rune(src[2]-0xA1)
		case code == 0xA2B7 && !ms:
			return 3, '~'
		case code == 0xA2C3 && ms:
			return 3, '\uFFE4'
		}
		return 3, passThrough
	case !between(c, 0xA1, 0xFE) || (c == 0xAD && !ms) || len(src) < 2 || !between(src[1], 0xA1, 0xFE):
		return 0, 0
	case c >= 0xF5:
		return 2, 0xE000 + rune(c-0xF5)*94 + rune(src[1]-0xA1)
	}
	return 2, d.fix(uint16(c)<<8 | uint16(src[1]))
}

func scanUjis(d *xDecoder, src []byte) (int, rune) { return scanEUCJP(d, src, false) }

func scanEucjpms(d *xDecoder, src []byte) (int, rune) { return scanEUCJP(d, src, true) }

var utf8FFFD = []byte("\uFFFD")

func (d *xDecoder) append(dst, src []byte) ([]byte, bool) {
	// Two bytes of output per input byte cover the common case (a 2-byte
	// character becomes 3 UTF-8 bytes); decode grows dst when not.
	if need := 2*len(src) + 4; cap(dst)-len(dst) < need {
		dst = growBytes(dst, need)
	}
	if d.scan == nil {
		return d.decode(dst, src)
	}
	seg := 0 // start of the run not yet decoded
	for i := 0; i < len(src); {
		if src[i] < utf8.RuneSelf {
			i++
			continue
		}
		n, r := d.scan(d, src[i:])
		if n == 0 || r == noRune {
			return dst, false
		}
		if r != passThrough {
			var ok bool
			if dst, ok = d.decode(dst, src[seg:i]); !ok {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			seg = i + n
		}
		i += n
	}
	return d.decode(dst, src[seg:])
}

// decode runs the x/text decoder over src.
func (d *xDecoder) decode(dst, src []byte) ([]byte, bool) {
	if len(src) == 0 {
		return dst, true
	}
	start := len(dst)
	dec := d.pool.Get().(*encoding.Decoder)
	dec.Reset()
	rest := src
	ok := true
	for {
		nDst, nSrc, err := dec.Transform(dst[len(dst):cap(dst)], rest, true)
		dst = dst[:len(dst)+nDst]
		rest = rest[nSrc:]
		if err == nil {
			break
		}
		if err != transform.ErrShortDst {
			ok = false
			break
		}
		dst = growBytes(dst, 2*len(rest)+8)
	}
	d.pool.Put(dec)
	if ok {
		if n := bytes.Count(dst[start:], utf8FFFD); n > 0 && (d.fffd == nil || n > bytes.Count(src, d.fffd)) {
			ok = false
		}
	}
	return dst, ok
}
