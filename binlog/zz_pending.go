package binlog

import "github.com/binlogkit/binlogkit/event"

// PENDING: placeholders until the GTID set code lands; removed then.

// GTID is a transaction id.
type GTID struct{}

// GTIDFromEvent returns the GTID of a GTID body.
func GTIDFromEvent(b event.Body, serverID uint32) (GTID, bool) { return GTID{}, false }

// GTIDSet is a set of GTIDs.
type GTIDSet struct{}

// Contains reports membership.
func (s *GTIDSet) Contains(g GTID) bool { return false }
