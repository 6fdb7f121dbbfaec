package rowcodec

// STUB: replaced by the DECIMAL implementation.

// decodeDecimal decodes a NEWDECIMAL (or, for c.Type 0, an old pre-5.0
// DECIMAL) value at the start of b, returning it and the bytes it used.
func decodeDecimal(c *Column, b []byte) (Value, int, error) { return Value{}, 0, errNotYet }

// appendDecimal appends the binary form of v for column c.
func appendDecimal(dst []byte, c *Column, v Value) ([]byte, error) { return dst, errNotYet }

// appendDecimalText appends v as MySQL prints it (exact digits, the column's scale).
func appendDecimalText(dst []byte, v Value) []byte { return dst }
