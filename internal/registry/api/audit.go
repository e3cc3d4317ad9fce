package api

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// auditJSON is one audit record.
type auditJSON struct {
	Seq      int64     `json:"seq"`
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Subject  string    `json:"subject,omitempty"`
	Catalog  string    `json:"catalog,omitempty"`
	Version  int       `json:"version,omitempty"`
	SchemaID int64     `json:"id,omitempty"`
	Detail   string    `json:"detail,omitempty"`
	PrevHash string    `json:"prev_hash"`
	Hash     string    `json:"hash"`
}

// maxAuditPage bounds the records one request returns.
const maxAuditPage = 1000

// auditLog is GET /provision/v1/audit?after=&limit= (admin): the audit
// records after the sequence number after, at most limit (100 by
// default, at most 1000).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, err := strconv.Atoi(orDefault(q.Get("limit"), "100"))
	if err != nil || limit < 1 {
		return errorf(http.StatusBadRequest, codeBadRequest, "Invalid limit %q", q.Get("limit"))
	}
	limit = min(limit, maxAuditPage)
	recs, err := s.store.AuditLog(r.Context(), max(after, 0), limit)
	if err != nil {
		return err
	}
	out := make([]auditJSON, len(recs))
	for i, rec := range recs {
		out[i] = auditJSON{Seq: rec.Seq, Time: rec.Time, Actor: rec.Actor, Action: rec.Action, Subject: rec.Subject,
			Catalog: rec.Catalog, Version: rec.Version, SchemaID: rec.SchemaID, Detail: rec.Detail,
			PrevHash: hex.EncodeToString(rec.PrevHash[:]), Hash: hex.EncodeToString(rec.Hash[:])}
	}
	return writeJSON(w, out)
}
