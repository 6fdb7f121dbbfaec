package rowcodec

// STUB: replaced by the JSON implementation.

// decodeJSON decodes a JSON column value (length prefix of c.Meta bytes, then
// MySQL binary JSON; MariaDB logs JSON as a LONGTEXT/BLOB instead).
func decodeJSON(c *Column, b []byte) (Value, int, error) { return Value{}, 0, errNotYet }

// appendJSON appends the binary form of v for column c.
func appendJSON(dst []byte, c *Column, v Value) ([]byte, error) { return dst, errNotYet }

// appendJSONText appends v as MySQL prints the JSON document.
func appendJSONText(dst []byte, v Value) ([]byte, error) { return dst, errNotYet }

// decodeJSONDiff decodes a JSON column's partial-update diff vector (in the
// after image of a PARTIAL_UPDATE_ROWS event) at the start of b.
func decodeJSONDiff(c *Column, b []byte) (Value, int, error) { return Value{}, 0, errNotYet }

// appendJSONDiff appends the binary form of a diff vector value.
func appendJSONDiff(dst []byte, c *Column, v Value) ([]byte, error) { return dst, errNotYet }

// appendJSONDiffText appends the diffs as JSON_SET/JSON_REPLACE/JSON_REMOVE
// SQL applied to the column name.
func appendJSONDiffText(dst []byte, c *Column, v Value) ([]byte, error) { return dst, errNotYet }
