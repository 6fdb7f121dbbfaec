package rowcodec

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func dtDecCol(p, s int) *Column {
	return &Column{Type: 246, WireType: 246, Meta: uint32(p<<8 | s)}
}

func dtUnhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDecimalTestcase16 covers TESTCASES #16: DECIMAL exact to 65 digits,
// never through float, `0.1` not `.1`, trailing zeros to the scale.
func TestDecimalTestcase16(t *testing.T) {
	cases := []struct {
		name string
		p, s int
		in   string // text given to DecimalValue
		hex  string // binary form ("" = not asserted)
		text string // as MySQL prints it
	}{
		{"DECIMAL(14,4) 1234567890.1234", 14, 4, "1234567890.1234", "81 0d fb 38 d2 04 d2", "1234567890.1234"},
		{"DECIMAL(14,4) -1234567890.1234", 14, 4, "-1234567890.1234", "7e f2 04 c7 2d fb 2d", "-1234567890.1234"},
		{"DECIMAL(2,1) -0.5", 2, 1, "-0.5", "7f fa", "-0.5"},
		{"DECIMAL(2,1) 0.5", 2, 1, "0.5", "80 05", "0.5"},
		{"DECIMAL(2,1) 0.1 not .1", 2, 1, ".1", "80 01", "0.1"},
		{"DECIMAL(10,0) zero scale 0", 10, 0, "0", "80 00 00 00 00", "0"},
		{"DECIMAL(10,0) zero scale -1234567890", 10, 0, "-1234567890", "7e f2 04 c7 2d", "-1234567890"},
		{"DECIMAL(10,0) zero scale 1", 10, 0, "1", "80 00 00 00 01", "1"},
		{"DECIMAL(13,4) 0.3333", 13, 4, "0.3333", "80 00 00 00 0d 05", "0.3333"},
		{"DECIMAL(13,4) -0.3333", 13, 4, "-0.3333", "7f ff ff ff f2 fa", "-0.3333"},
		{"DECIMAL(13,4) 1.5 trailing zeros", 13, 4, "1.5", "", "1.5000"},
		{"DECIMAL(5,2) 9 trailing zeros", 5, 2, "9", "", "9.00"},
		{"DECIMAL(5,2) 0.01", 5, 2, "0.01", "", "0.01"},
		{"DECIMAL(65,30) max", 65, 30, "99999999999999999999999999999999999.999999999999999999999999999999", "",
			"99999999999999999999999999999999999.999999999999999999999999999999"},
		{"DECIMAL(65,30) min", 65, 30, "-99999999999999999999999999999999999.999999999999999999999999999999", "",
			"-99999999999999999999999999999999999.999999999999999999999999999999"},
		{"DECIMAL(65,30) smallest", 65, 30, "0.000000000000000000000000000001", "",
			"0.000000000000000000000000000001"},
		{"DECIMAL(65,30) zero", 65, 30, "0", "", "0.000000000000000000000000000000"},
		{"DECIMAL(65,0) max", 65, 0, strings.Repeat("9", 65), "", strings.Repeat("9", 65)},
		{"DECIMAL(65,0) min", 65, 0, "-" + strings.Repeat("9", 65), "", "-" + strings.Repeat("9", 65)},
		{"DECIMAL(2,2) only fraction", 2, 2, "-0.99", "", "-0.99"},
		{"DECIMAL(1,0) one digit", 1, 0, "-7", "78", "-7"},
		{"negative zero input is zero", 5, 2, "-0.00", "80 00 00", "0.00"},
		{"plus sign and leading zeros", 5, 2, "+007.5", "", "7.50"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := DecimalValue(tc.in, tc.p, tc.s)
			if err != nil {
				t.Fatal(err)
			}
			if tc.hex != "" && !bytes.Equal(v.Bytes(), dtUnhex(t, tc.hex)) {
				t.Fatalf("bytes % x, want %s", v.Bytes(), tc.hex)
			}
			if got := string(v.AppendDecimal(nil)); got != tc.text {
				t.Fatalf("text %q, want %q", got, tc.text)
			}
			// Decode the bytes followed by junk: n must stop at the value.
			c := dtDecCol(tc.p, tc.s)
			img := append(append([]byte(nil), v.Bytes()...), 0xee, 0xee)
			d, n, err := decodeDecimal(c, img)
			if err != nil || n != len(v.Bytes()) {
				t.Fatalf("decode: n=%d err=%v", n, err)
			}
			if !d.Equal(v) || cap(d.Bytes()) != n {
				t.Fatalf("decoded %+v, want %+v (cap %d)", d, v, cap(d.Bytes()))
			}
			if got := string(appendDecimalText(nil, d)); got != tc.text {
				t.Fatalf("decoded text %q, want %q", got, tc.text)
			}
			enc, err := appendDecimal(nil, c, d)
			if err != nil || !bytes.Equal(enc, v.Bytes()) {
				t.Fatalf("encode % x, %v", enc, err)
			}
			if p, s := d.DecimalSpec(); p != tc.p || s != tc.s {
				t.Fatalf("spec %d,%d", p, s)
			}
			if d.DecimalNegative() != strings.HasPrefix(tc.text, "-") {
				t.Fatal("DecimalNegative")
			}
			r, ok := d.DecimalRat()
			want, _ := new(big.Rat).SetString(tc.in)
			if !ok || r.Cmp(want) != 0 {
				t.Fatalf("DecimalRat %v, want %v", r, want)
			}
		})
	}
}

// TestDecimalNegativeZeroBytes: servers never write a negative zero, but
// bytes that hold one print as MySQL's decoder prints them: "-0.0" when there
// is a scale (the sign survives), "0" when there is none.
func TestDecimalNegativeZeroBytes(t *testing.T) {
	for _, tc := range []struct {
		p, s int
		hex  string
		want string
	}{
		{2, 1, "7f ff", "-0.0"},
		{13, 4, "7f ff ff ff ff ff", "-0.0000"},
		{10, 0, "7f ff ff ff ff", "0"},
	} {
		v, _, err := decodeDecimal(dtDecCol(tc.p, tc.s), dtUnhex(t, tc.hex))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(v.AppendDecimal(nil)); got != tc.want {
			t.Errorf("DECIMAL(%d,%d) % x: %q, want %q", tc.p, tc.s, dtUnhex(t, tc.hex), got, tc.want)
		}
		enc, err := appendDecimal(nil, dtDecCol(tc.p, tc.s), v)
		if err != nil || !bytes.Equal(enc, dtUnhex(t, tc.hex)) {
			t.Errorf("re-encode % x %v", enc, err)
		}
	}
}

func TestDecimalErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p, s int
		hex  string
		want error
	}{
		{"truncated", 14, 4, "81 0d fb 38 d2 04", ErrTruncated},
		{"empty", 2, 1, "", ErrTruncated},
		{"leading group over its digits", 2, 1, "8a 00", ErrCorrupt},       // integer digit 10
		{"fraction group over its digits", 2, 1, "80 0a", ErrCorrupt},      // fraction digit 10
		{"full group over 999999999", 10, 0, "80 3b 9a ca 00", ErrCorrupt}, // 1000000000
		{"precision 0", 0, 0, "80", ErrCorrupt},
		{"precision 66", 66, 0, strings.Repeat("80 ", 30), ErrCorrupt},
		{"scale over precision", 2, 3, "80 00 00", ErrCorrupt},
	} {
		_, _, err := decodeDecimal(dtDecCol(tc.p, tc.s), dtUnhex(t, tc.hex))
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		text string
		p, s int
	}{
		{"123", 4, 2},   // 3 integer digits in DECIMAL(4,2)
		{"1.234", 4, 2}, // more decimals than the scale
		{"1e5", 10, 0},
		{"", 4, 2},
		{"-", 4, 2},
		{".", 4, 2},
		{"1.2.3", 4, 2},
		{" 1", 4, 2},
		{"1", 0, 0},
	} {
		if _, err := DecimalValue(tc.text, tc.p, tc.s); err == nil {
			t.Errorf("DecimalValue(%q, %d, %d) accepted", tc.text, tc.p, tc.s)
		}
	}
	if v, err := DecimalValue("1.2300", 4, 2); err != nil || string(v.AppendDecimal(nil)) != "1.23" {
		t.Errorf("trailing zeros past the scale: %v %v", v, err)
	}
	if _, err := appendDecimal(nil, dtDecCol(4, 2), IntValue(1)); err == nil {
		t.Error("INT value encoded as DECIMAL")
	}
}

// TestDecimalRescale: a value of another precision or scale is re-encoded
// for the column when it fits exactly.
func TestDecimalRescale(t *testing.T) {
	v, _ := DecimalValue("-12.5", 5, 1)
	b, err := appendDecimal(nil, dtDecCol(13, 4), v)
	if err != nil {
		t.Fatal(err)
	}
	d, _, _ := decodeDecimal(dtDecCol(13, 4), b)
	if got := string(d.AppendDecimal(nil)); got != "-12.5000" {
		t.Fatalf("%q", got)
	}
	if _, err := appendDecimal(nil, dtDecCol(2, 0), v); err == nil {
		t.Fatal("-12.5 into DECIMAL(2,0) accepted")
	}
}

// TestDecimalOldTestcase19 covers the pre-5.0 DECIMAL (type 0) of TESTCASES
// #19, logged by MariaDB 10.1 for tables created before 5.0: the field's
// characters, right-aligned; the table map gives no length, so Column.Meta
// must be set from the column definition.
func TestDecimalOldTestcase19(t *testing.T) {
	c := &Column{Type: 0, WireType: 0, Meta: 7} // DECIMAL(5,2) signed: 5 + point + sign
	for _, tc := range []struct{ raw, text string }{
		{"-123.45", "-123.45"},
		{"   1.50", "1.50"},
		{"  -0.01", "-0.01"},
		{"0001.00", "0001.00"}, // ZEROFILL keeps its zeros
	} {
		img := append([]byte(tc.raw), 1, 2, 3)
		v, n, err := decodeDecimal(c, img)
		if err != nil || n != 7 {
			t.Fatalf("%q: n=%d err=%v", tc.raw, n, err)
		}
		if !v.IsOldDecimal() || v.Kind() != KindDecimal {
			t.Fatalf("%q: not flagged old", tc.raw)
		}
		if got := string(v.AppendDecimal(nil)); got != tc.text {
			t.Errorf("%q: text %q, want %q", tc.raw, got, tc.text)
		}
		enc, err := appendDecimal(nil, c, v)
		if err != nil || string(enc) != tc.raw {
			t.Errorf("%q: re-encoded %q %v", tc.raw, enc, err)
		}
		w, err := OldDecimalValue(tc.text, 7)
		if err != nil {
			t.Fatal(err)
		}
		if tc.raw[0] == ' ' && !w.Equal(v) {
			t.Errorf("OldDecimalValue(%q) = %q", tc.text, w.Bytes())
		}
	}
	v, _, _ := decodeDecimal(c, []byte("-123.45"))
	if p, s := v.DecimalSpec(); p != 5 || s != 2 || !v.DecimalNegative() {
		t.Errorf("spec %d,%d neg %v", p, s, v.DecimalNegative())
	}
	// Re-encoded into a NEWDECIMAL column from its digits.
	b, err := appendDecimal(nil, dtDecCol(5, 2), v)
	if err != nil || !bytes.Equal(b, dtMustDec(t, "-123.45", 5, 2).Bytes()) {
		t.Errorf("old → new: % x %v", b, err)
	}
	if _, _, err := decodeDecimal(&Column{Type: 0}, []byte("  1.00")); !errors.Is(err, ErrUnsupported) {
		t.Errorf("no length: %v", err)
	}
	if _, _, err := decodeDecimal(c, []byte("  1.0")); !errors.Is(err, ErrTruncated) {
		t.Errorf("short: %v", err)
	}
	if _, _, err := decodeDecimal(c, []byte("  1,00x")); !errors.Is(err, ErrCorrupt) {
		t.Errorf("comma: %v", err)
	}
	// A NEWDECIMAL value written into an old DECIMAL field: right-aligned.
	if b, err := appendDecimal(nil, c, dtMustDec(t, "-1.5", 5, 2)); err != nil || string(b) != "  -1.50" {
		t.Errorf("new → old: %q %v", b, err)
	}
	if _, err := appendDecimal(nil, c, dtMustDec(t, "-12345.5", 10, 2)); err == nil {
		t.Error("-12345.50 fits an old DECIMAL field of 7 bytes")
	}
}

func dtMustDec(t testing.TB, s string, p, sc int) Value {
	t.Helper()
	v, err := DecimalValue(s, p, sc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// --- An independent reference: math/big on the digit groups. ---

// dtRefDecode reads binary DECIMAL(p,s) as an unscaled big integer built group
// by group (N = N*10^digits + group) and formats it with the scale.
func dtRefDecode(b []byte, p, s int) string {
	b = append([]byte(nil), b...)
	neg := b[0]&0x80 == 0
	if neg {
		for i := range b {
			b[i] = ^b[i]
		}
	}
	b[0] &^= 0x80
	sizes := dtRefGroups(p, s)
	n := new(big.Int)
	ten := big.NewInt(10)
	for _, g := range sizes {
		nb := []int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}[g]
		x := new(big.Int).SetBytes(b[:nb])
		b = b[nb:]
		n.Mul(n, new(big.Int).Exp(ten, big.NewInt(int64(g)), nil))
		n.Add(n, x)
	}
	digits := n.String()
	if s > 0 {
		if len(digits) < s+1 {
			digits = strings.Repeat("0", s+1-len(digits)) + digits
		}
		digits = digits[:len(digits)-s] + "." + digits[len(digits)-s:]
	}
	if neg && (n.Sign() != 0 || s > 0) {
		digits = "-" + digits
	}
	return digits
}

// dtRefGroups lists the digit counts of the groups of DECIMAL(p,s) in order.
func dtRefGroups(p, s int) []int {
	var g []int
	intg := p - s
	if intg%9 > 0 {
		g = append(g, intg%9)
	}
	for i := 0; i < intg/9; i++ {
		g = append(g, 9)
	}
	for i := 0; i < s/9; i++ {
		g = append(g, 9)
	}
	if s%9 > 0 {
		g = append(g, s%9)
	}
	return g
}

// dtRefEncode writes the unscaled value n (sign included) of DECIMAL(p,s) by
// dividing it into its groups with big-integer arithmetic.
func dtRefEncode(n *big.Int, p, s int) []byte {
	neg := n.Sign() < 0
	a := new(big.Int).Abs(n)
	ten := big.NewInt(10)
	groups := dtRefGroups(p, s)
	// The groups cover exactly p digits, the last s being the fraction:
	// splitting the unscaled number from the right gives every group.
	vals := make([]*big.Int, len(groups))
	rest := new(big.Int).Set(a)
	for i := len(groups) - 1; i >= 0; i-- {
		m := new(big.Int).Exp(ten, big.NewInt(int64(groups[i])), nil)
		vals[i] = new(big.Int).Mod(rest, m)
		rest.Div(rest, m)
	}
	var out []byte
	for i, g := range groups {
		nb := []int{0, 1, 1, 2, 2, 3, 3, 4, 4, 4}[g]
		buf := make([]byte, nb)
		vals[i].FillBytes(buf)
		out = append(out, buf...)
	}
	if neg {
		for i := range out {
			out[i] = ^out[i]
		}
	}
	out[0] ^= 0x80
	return out
}

func dtRandDigits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// TestDecimalDifferential compares the codec with the math/big reference
// both ways on random values of random DECIMAL(p,s).
func TestDecimalDifferential(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 65))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for i := 0; i < n; i++ {
		p := 1 + r.IntN(65)
		s := r.IntN(p + 1)
		id := dtRandDigits(r, r.IntN(p-s+1))
		fd := dtRandDigits(r, r.IntN(s+1))
		text := id
		if len(fd) > 0 || r.IntN(2) == 0 {
			text += "." + fd
		}
		if text == "." || text == "" {
			text = "0"
		}
		if r.IntN(2) == 0 {
			text = "-" + text
		}
		// Ours → reference.
		v, err := DecimalValue(text, p, s)
		if err != nil {
			t.Fatalf("DecimalValue(%q, %d, %d): %v", text, p, s, err)
		}
		want := dtRefDecode(v.Bytes(), p, s)
		if got := string(v.AppendDecimal(nil)); got != want {
			t.Fatalf("DECIMAL(%d,%d) %q: ours %q, reference %q", p, s, text, got, want)
		}
		// Reference → ours: an unscaled integer of up to p digits.
		un, _ := new(big.Int).SetString(dtRandDigits(r, 1+r.IntN(p)), 10)
		if r.IntN(2) == 0 {
			un.Neg(un)
		}
		b := dtRefEncode(un, p, s)
		d, m, err := decodeDecimal(dtDecCol(p, s), b)
		if err != nil || m != len(b) {
			t.Fatalf("DECIMAL(%d,%d) % x: n=%d %v", p, s, b, m, err)
		}
		if got, want := string(d.AppendDecimal(nil)), dtRefDecode(b, p, s); got != want {
			t.Fatalf("DECIMAL(%d,%d) % x: ours %q, reference %q", p, s, b, got, want)
		}
		// Our text re-encodes to the reference's bytes.
		w, err := DecimalValue(string(d.AppendDecimal(nil)), p, s)
		if err != nil || !bytes.Equal(w.Bytes(), b) {
			t.Fatalf("DECIMAL(%d,%d) %q: re-encoded % x, reference % x (%v)", p, s, d.AppendDecimal(nil), w.Bytes(), b, err)
		}
		enc, err := appendDecimal(nil, dtDecCol(p, s), d)
		if err != nil || !bytes.Equal(enc, b) {
			t.Fatalf("encode(decode(b)) % x != % x", enc, b)
		}
	}
}

// TestDecimalAllocs: decoding a DECIMAL and formatting it allocate nothing.
func TestDecimalAllocs(t *testing.T) {
	c := dtDecCol(65, 30)
	b := dtMustDec(t, "-12345678901234567890123456789012345.123456789012345678901234567890", 65, 30).Bytes()
	buf := make([]byte, 0, 128)
	a := testing.AllocsPerRun(200, func() {
		v, _, err := decodeDecimal(c, b)
		if err != nil {
			t.Fatal(err)
		}
		buf = appendDecimalText(buf[:0], v)
		buf, _ = appendDecimal(buf[:0], c, v)
	})
	if a != 0 {
		t.Fatalf("%v allocations per DECIMAL decode+text+encode", a)
	}
}

func BenchmarkDecimalDecodeText(b *testing.B) {
	for _, tc := range []struct {
		name, text string
		p, s       int
	}{
		{"14_4", "-1234567890.1234", 14, 4},
		{"65_30", "-12345678901234567890123456789012345.123456789012345678901234567890", 65, 30},
	} {
		b.Run(tc.name, func(b *testing.B) {
			c := dtDecCol(tc.p, tc.s)
			bin := dtMustDec(b, tc.text, tc.p, tc.s).Bytes()
			buf := make([]byte, 0, 128)
			b.SetBytes(int64(len(bin)))
			b.ReportAllocs()
			for b.Loop() {
				v, _, err := decodeDecimal(c, bin)
				if err != nil {
					b.Fatal(err)
				}
				buf = appendDecimalText(buf[:0], v)
			}
		})
	}
}

func ExampleDecimalValue() {
	v, err := DecimalValue("-1234567890.1234", 14, 4)
	if err != nil {
		panic(err)
	}
	fmt.Printf("% x\n", v.Bytes())
	fmt.Println(string(v.AppendDecimal(nil)))
	w, _ := DecimalValue("9", 5, 2)
	fmt.Println(string(w.AppendDecimal(nil)))
	// Output:
	// 7e f2 04 c7 2d fb 2d
	// -1234567890.1234
	// 9.00
}
