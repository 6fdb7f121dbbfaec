package mysqlproto

// Capability flags (the client and server capability bitmask).
const (
	ClientLongPassword               uint32 = 1 << 0
	ClientFoundRows                  uint32 = 1 << 1
	ClientLongFlag                   uint32 = 1 << 2
	ClientConnectWithDB              uint32 = 1 << 3
	ClientNoSchema                   uint32 = 1 << 4
	ClientCompress                   uint32 = 1 << 5
	ClientODBC                       uint32 = 1 << 6
	ClientLocalFiles                 uint32 = 1 << 7
	ClientIgnoreSpace                uint32 = 1 << 8
	ClientProtocol41                 uint32 = 1 << 9
	ClientInteractive                uint32 = 1 << 10
	ClientSSL                        uint32 = 1 << 11
	ClientIgnoreSIGPIPE              uint32 = 1 << 12
	ClientTransactions               uint32 = 1 << 13
	ClientReserved                   uint32 = 1 << 14
	ClientSecureConnection           uint32 = 1 << 15
	ClientMultiStatements            uint32 = 1 << 16
	ClientMultiResults               uint32 = 1 << 17
	ClientPSMultiResults             uint32 = 1 << 18
	ClientPluginAuth                 uint32 = 1 << 19
	ClientConnectAttrs               uint32 = 1 << 20
	ClientPluginAuthLenEncClientData uint32 = 1 << 21
	ClientCanHandleExpiredPasswords  uint32 = 1 << 22
	ClientSessionTrack               uint32 = 1 << 23
	ClientDeprecateEOF               uint32 = 1 << 24
)

// Commands.
const (
	ComQuit            byte = 0x01
	ComInitDB          byte = 0x02
	ComQuery           byte = 0x03
	ComPing            byte = 0x0e
	ComBinlogDump      byte = 0x12
	ComRegisterSlave   byte = 0x15
	ComBinlogDumpGTID  byte = 0x1e
	ComResetConnection byte = 0x1f
)

// COM_BINLOG_DUMP flags.
const (
	// BinlogDumpNonBlock asks the server to send EOF at the end of the last
	// binlog instead of waiting for more events.
	BinlogDumpNonBlock uint16 = 0x01
	// BinlogThroughPosition and BinlogThroughGTID are COM_BINLOG_DUMP_GTID's
	// flags saying which of position and GTID set the request carries.
	BinlogThroughPosition uint16 = 0x02
	BinlogThroughGTID     uint16 = 0x04
)

// Packet markers.
const (
	OKPacket  byte = 0x00
	EOFPacket byte = 0xfe
	ErrPacket byte = 0xff
	// LocalInfile is the first byte of a LOCAL INFILE request.
	LocalInfile byte = 0xfb
)

// Semi-synchronous replication: the magic byte that precedes each event
// when the server speaks semi-sync, and the flag asking for an ACK.
const (
	SemiSyncIndicator byte = 0xef
	SemiSyncNeedACK   byte = 0x01
)
