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
//   - utf8mb4, utf8mb3: validated only (utf8.Valid), copied.
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
//   - gbk, gb18030, gb2312 (through the GBK decoder, a superset of EUC-CN),
//     big5 (WHATWG Big5, a superset), ujis and eucjpms (EUC-JP), sjis and
//     cp932 (WHATWG Shift_JIS, which is Windows-31J), euckr (WHATWG EUC-KR,
//     i.e. UHC): golang.org/x/text decoders. These follow the WHATWG
//     Encoding Standard tables, which agree with the server on the standard
//     repertoire but not on every vendor extension (e.g. sjis 0x815F and
//     0x8160, gbk 0x80, eucjpms's IBM extensions): treat those as best
//     effort. An x/text decoder replaces invalid input with U+FFFD; any
//     U+FFFD in its output that the input did not encode (only gb18030 can
//     encode it, as 84 31 A4 37) makes the conversion fail.
//   - binary, and unknown collation ids: not converted (ok=false).
//
// Cost: utf8mb4/utf8mb3/ascii/latin1, the single-byte sets and the UTF-16/32
// family never allocate when dst has room (len(src) bytes are enough for
// utf8mb*/ascii, 3*len(src) always are). The x/text sets take a decoder
// from a per-charset sync.Pool (no allocation in steady state) and grow dst
// only when it is too small.

// StringValue returns a character string value: b in the character set of
// the collation id (b is kept, not copied).
func StringValue(b []byte, collation uint16) Value {
	return Value{kind: KindString, aux: uint32(collation), b: b}
}

// Collation returns a string value's collation id: the column's collation
// for KindString (0 when unknown), 63 (binary) for KindBytes, 0 for other
// kinds.
func (v Value) Collation() uint16 {
	switch v.kind {
	case KindString:
		return uint16(v.aux)
	case KindBytes:
		return binaryCollation
	}
	return 0
}

// Charset returns the character set name of a string value ("utf8mb4",
// "latin1", …; "binary" for KindBytes), or "" when unknown or not a string.
func (v Value) Charset() string { return CharsetName(v.Collation()) }

// binaryCollation is the id of the binary pseudo charset's collation.
const binaryCollation = 63

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
// character set. ok is false (and the bytes are appended unchanged) when the
// value is not a character string (KindString), when the charset is unknown
// or binary, or when the bytes do not convert. It does not allocate when dst
// has room for the result (see the package's charset notes for the cost of
// the multi-byte Asian character sets).
func (v Value) AppendUTF8(dst []byte) (out []byte, ok bool) {
	if v.kind != KindString {
		return append(dst, v.b...), false
	}
	return AppendUTF8From(dst, uint16(v.aux), v.b)
}

// AppendUTF8From appends src, text in the character set of the collation
// id, converted to UTF-8. ok is false, and src is appended unchanged, when
// the collation is unknown or binary or src does not convert. It serves
// text found outside Values (ENUM/SET member names, …).
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
	case csUtf8mb4, csUtf8mb3:
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
type xDecoder struct {
	enc  encoding.Encoding
	pool sync.Pool
	// fffd is how the set encodes U+FFFD when it can (gb18030), else nil.
	fffd []byte
}

func newXDecoder(enc encoding.Encoding, fffd []byte) *xDecoder {
	d := &xDecoder{enc: enc, fffd: fffd}
	d.pool.New = func() any { return enc.NewDecoder() }
	return d
}

var xDecoders = [numCharsets]*xDecoder{
	csGbk:     newXDecoder(simplifiedchinese.GBK, nil),
	csGb2312:  newXDecoder(simplifiedchinese.GBK, nil),
	csGb18030: newXDecoder(simplifiedchinese.GB18030, []byte{0x84, 0x31, 0xA4, 0x37}),
	csBig5:    newXDecoder(traditionalchinese.Big5, nil),
	csUjis:    newXDecoder(japanese.EUCJP, nil),
	csEucjpms: newXDecoder(japanese.EUCJP, nil),
	csSjis:    newXDecoder(japanese.ShiftJIS, nil),
	csCp932:   newXDecoder(japanese.ShiftJIS, nil),
	csEuckr:   newXDecoder(korean.EUCKR, nil),
}

var utf8FFFD = []byte("\uFFFD")

func (d *xDecoder) append(dst, src []byte) ([]byte, bool) {
	start := len(dst)
	// Two bytes of output per input byte cover the common case (a 2-byte
	// character becomes 3 UTF-8 bytes); the loop grows dst when not.
	if need := 2*len(src) + 4; cap(dst)-len(dst) < need {
		dst = growBytes(dst, need)
	}
	dec := d.pool.Get().(*encoding.Decoder)
	dec.Reset()
	in := src
	ok := true
	for {
		nDst, nSrc, err := dec.Transform(dst[len(dst):cap(dst)], in, true)
		dst = dst[:len(dst)+nDst]
		in = in[nSrc:]
		if err == nil {
			break
		}
		if err != transform.ErrShortDst {
			ok = false
			break
		}
		dst = growBytes(dst, 2*len(in)+8)
	}
	d.pool.Put(dec)
	if ok {
		if n := bytes.Count(dst[start:], utf8FFFD); n > 0 && (d.fffd == nil || n > bytes.Count(src, d.fffd)) {
			ok = false
		}
	}
	return dst, ok
}
