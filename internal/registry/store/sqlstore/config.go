package sqlstore

import (
	"context"

	"github.com/provisionhq/provision/internal/registry/store"
)

// validateScope checks a subject name for config and mode, where "" is
// the global scope.
func validateScope(subject string) error {
	if subject == "" {
		return nil
	}
	return store.ValidateName("subject", subject)
}

// Config implements store.Store.
func (s *Store) Config(ctx context.Context, subject string) (store.Config, error) {
	var c store.Config
	err := s.read(ctx, func(q Querier) error {
		var level string
		if err := q.QueryRow(ctx, s.q.Config, subject).Scan(&level); err != nil {
			return s.notFound(err, store.ErrConfigNotFound)
		}
		c.Compatibility = store.Compatibility(level)
		return nil
	})
	return c, wrap(err, "config of %q", subject)
}

// SetConfig implements store.Store.
func (s *Store) SetConfig(ctx context.Context, subject string, c store.Config, a *store.Audit) error {
	if err := validateScope(subject); err != nil {
		return wrap(err, "set config")
	}
	if err := c.Validate(); err != nil {
		return wrap(err, "set config of %q", subject)
	}
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.q.Exec(ctx, s.q.UpsertConfig, subject, string(c.Compatibility)); err != nil {
			return err
		}
		t.change(store.Change{Kind: store.ChangeConfig, Subject: subject})
		return t.audit(a, store.AuditEntry{Action: store.ActionSetConfig, Subject: subject})
	})
	return wrap(err, "set config of %q", subject)
}

// DeleteConfig implements store.Store.
func (s *Store) DeleteConfig(ctx context.Context, subject string, a *store.Audit) (store.Config, error) {
	var c store.Config
	err := s.write(ctx, func(t *tx) error {
		var level string
		if err := t.q.QueryRow(ctx, s.q.DeleteConfig, subject).Scan(&level); err != nil {
			return s.notFound(err, store.ErrConfigNotFound)
		}
		c.Compatibility = store.Compatibility(level)
		t.change(store.Change{Kind: store.ChangeConfig, Subject: subject})
		return t.audit(a, store.AuditEntry{Action: store.ActionDeleteConfig, Subject: subject})
	})
	return c, wrap(err, "delete config of %q", subject)
}

// Mode implements store.Store.
func (s *Store) Mode(ctx context.Context, subject string) (store.Mode, error) {
	var m string
	err := s.read(ctx, func(q Querier) error {
		return s.notFound(q.QueryRow(ctx, s.q.Mode, subject).Scan(&m), store.ErrModeNotFound)
	})
	return store.Mode(m), wrap(err, "mode of %q", subject)
}

// SetMode implements store.Store.
func (s *Store) SetMode(ctx context.Context, subject string, m store.Mode, a *store.Audit) error {
	if err := validateScope(subject); err != nil {
		return wrap(err, "set mode")
	}
	if !m.Valid() {
		return wrap(store.ErrInvalid, "set mode of %q to %q", subject, m)
	}
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.q.Exec(ctx, s.q.UpsertMode, subject, string(m)); err != nil {
			return err
		}
		t.change(store.Change{Kind: store.ChangeMode, Subject: subject})
		return t.audit(a, store.AuditEntry{Action: store.ActionSetMode, Subject: subject})
	})
	return wrap(err, "set mode of %q", subject)
}

// DeleteMode implements store.Store.
func (s *Store) DeleteMode(ctx context.Context, subject string, a *store.Audit) (store.Mode, error) {
	var m string
	err := s.write(ctx, func(t *tx) error {
		if err := t.q.QueryRow(ctx, s.q.DeleteMode, subject).Scan(&m); err != nil {
			return s.notFound(err, store.ErrModeNotFound)
		}
		t.change(store.Change{Kind: store.ChangeMode, Subject: subject})
		return t.audit(a, store.AuditEntry{Action: store.ActionDeleteMode, Subject: subject})
	})
	return store.Mode(m), wrap(err, "delete mode of %q", subject)
}
