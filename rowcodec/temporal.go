package rowcodec

// STUB: replaced by the temporal implementation.

// decodeTemporal decodes a DATE, NEWDATE, TIME, TIME2, DATETIME, DATETIME2,
// TIMESTAMP or TIMESTAMP2 value at the start of b.
func decodeTemporal(c *Column, b []byte) (Value, int, error) { return Value{}, 0, errNotYet }

// appendTemporal appends the binary form of v for column c.
func appendTemporal(dst []byte, c *Column, v Value) ([]byte, error) { return dst, errNotYet }

// appendTemporalText appends v as MySQL prints it ('2024-01-02 03:04:05.123456'
// without quotes; TIMESTAMP in UTC).
func appendTemporalText(dst []byte, v Value) []byte { return dst }
