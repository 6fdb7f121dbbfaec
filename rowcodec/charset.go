package rowcodec

// STUB: replaced by the character-set implementation.

// CharsetName returns the character set of a collation id ("utf8mb4",
// "latin1", "gbk", "binary", …), or "" when unknown.
func CharsetName(collation uint16) string { return "" }

// AppendUTF8 appends a string value converted to UTF-8 from its column's
// character set. ok is false (and the bytes are appended unchanged) when the
// charset is unknown or the bytes do not convert.
func (v Value) AppendUTF8(dst []byte) (out []byte, ok bool) { return append(dst, v.b...), false }
