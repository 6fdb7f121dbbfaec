package event

// STUB: replaced by the rows implementation.

// Rows is the body of every rows event.
type Rows struct {
	Type    Type
	TableID uint64
	Flags   uint16
}

// EventType returns the type the body was decoded as.
func (r *Rows) EventType() Type { return r.Type }

// DecodeBody decodes the body.
func (r *Rows) DecodeBody(f *FormatDescription, t Type, b []byte) error {
	return unsupportedf("rows")
}

// AppendBody appends the encoded body.
func (r *Rows) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	return dst, unsupportedf("rows")
}
