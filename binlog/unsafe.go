package binlog

import "unsafe"

// unsafeString views b as a string without copying, for matching only: the
// result must not outlive b or be retained.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
