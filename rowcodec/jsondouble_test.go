package rowcodec

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// appendJSONDoubleReference is appendJSONDouble as it was before the
// short-decimal path: every double through strconv's shortest digits, which
// is what appendJSONDoubleDigits still does for the doubles the short path
// does not take.
func appendJSONDoubleReference(dst []byte, d float64) []byte {
	return appendJSONDoubleDigits(dst, d)
}

// doubleInputs returns the doubles the formatter tests compare on: special
// values, exponent and fast-path boundaries, short decimals and their
// neighbours, and random bit patterns.
func doubleInputs() []float64 {
	var in []float64
	add := func(f float64) {
		in = append(in, f, -f, math.Nextafter(f, math.Inf(1)), math.Nextafter(f, math.Inf(-1)))
	}
	for _, f := range []float64{0, 1, 0.5, 0.1, 0.2, 0.3, 19.99, 1.5, 2.5, 1e-9, 1e-10, 1e15, 1e16, 1e14 + 0.5,
		1 << 48, 1<<48 - 1, 1<<48 + 1, 1 << 53, 1<<53 + 2, math.MaxFloat64, math.SmallestNonzeroFloat64,
		0x1p-1022, 0x1p-1023, 0x1.fffffffffffffp-1023, math.MaxInt64, math.MaxUint64, 123456789012345,
		999999999999999, 9999999999999999, 0.999999999, 0.9999999999, 1.0000000001, 1e-7, 2e-7, 1e-14, 1e-15} {
		add(f)
	}
	in = append(in, math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1))
	for e := -330; e <= 310; e++ {
		add(math.Pow(10, float64(e)))
		add(math.Ldexp(1, e))
		add(math.Ldexp(1.5, e))
	}
	// Every m×10^-k for small m, and all two-decimal prices below 1000.
	for k := 0; k <= 11; k++ {
		for m := 1; m <= 2000; m++ {
			f, _ := strconv.ParseFloat(strconv.Itoa(m)+"e-"+strconv.Itoa(k), 64)
			add(f)
		}
	}
	for c := 0; c < 100000; c++ {
		f, _ := strconv.ParseFloat(strconv.Itoa(c/100)+"."+strconv.Itoa(c/10%10)+strconv.Itoa(c%10), 64)
		in = append(in, f)
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for range 300000 {
		in = append(in, math.Float64frombits(rng.Uint64()))
		// Random decimals of up to 16 significant digits and modest
		// exponents, the fast path's domain and its edges.
		digits := rng.Uint64N(1 << 53)
		for range rng.IntN(16) {
			digits /= 10
		}
		f, _ := strconv.ParseFloat(strconv.FormatUint(digits, 10)+"e"+strconv.Itoa(rng.IntN(30)-20), 64)
		in = append(in, f, math.Nextafter(f, 0))
		in = append(in, float64(rng.Int64N(1<<50))/float64(uint64(1)<<rng.IntN(60)))
	}
	return in
}

// TestAppendJSONDoubleMatchesReference compares appendJSONDouble with the
// strconv-only formatter it speeds up, byte for byte.
func TestAppendJSONDoubleMatchesReference(t *testing.T) {
	short := 0
	prefix := []byte("[1, ")
	for _, f := range doubleInputs() {
		want := string(appendJSONDoubleReference(append([]byte(nil), prefix...), f))
		got := string(appendJSONDouble(append([]byte(nil), prefix...), f))
		if got != want {
			t.Fatalf("%v (%#x): got %s, want %s", f, math.Float64bits(f), got, want)
		}
		if out, ok := appendShortDouble(nil, f); ok {
			short++
			if string(out) != want[len(prefix):] {
				t.Fatalf("%v: short path %s, want %s", f, out, want[len(prefix):])
			}
		} else if len(out) != 0 {
			t.Fatalf("%v: short path refused but appended %q", f, out)
		}
	}
	if short < 100000 {
		t.Errorf("only %d inputs took the short path: the test no longer covers it", short)
	}
}

func BenchmarkAppendJSONDouble(b *testing.B) {
	in := []float64{19.99, 123.5, 0.1, 42, -7.25, 1e-20, 3.141592653589793, 1.7976931348623157e308}
	buf := make([]byte, 0, 64)
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			for _, f := range in {
				buf = appendJSONDouble(buf[:0], f)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		for b.Loop() {
			for _, f := range in {
				buf = appendJSONDoubleReference(buf[:0], f)
			}
		}
	})
}
