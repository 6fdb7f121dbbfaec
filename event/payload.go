package event

// STUB: replaced by the TRANSACTION_PAYLOAD implementation.

// TransactionPayload is the TRANSACTION_PAYLOAD_EVENT body.
type TransactionPayload struct {
	CompressionType  uint64
	PayloadSize      uint64
	UncompressedSize uint64
	Payload          []byte
}

// EventType returns TransactionPayloadEvent.
func (*TransactionPayload) EventType() Type { return TransactionPayloadEvent }

// DecodeBody decodes the body.
func (p *TransactionPayload) DecodeBody(f *FormatDescription, _ Type, b []byte) error {
	return unsupportedf("payload")
}

// AppendBody appends the encoded body.
func (p *TransactionPayload) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	return dst, unsupportedf("payload")
}

// PayloadReader iterates the events inside a TRANSACTION_PAYLOAD lazily, with
// one decompressor reused across payloads. The zero value is ready.
type PayloadReader struct{}

// Reset starts iterating p. maxEventSize bounds one inner event.
func (pr *PayloadReader) Reset(p *TransactionPayload, maxEventSize int) error {
	return unsupportedf("payload")
}

// Next returns the next inner event (header and body, no checksum) and its
// offset in the uncompressed payload; io.EOF after the last one. raw is valid
// until the next call.
func (pr *PayloadReader) Next() (raw []byte, offset uint64, err error) {
	return nil, 0, unsupportedf("payload")
}
