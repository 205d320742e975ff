-- 002_staff_console: staff sign-in sessions and what the staff console's queue needs.

-- Only a hash of the session token is stored: a copy of this table cannot be replayed as
-- cookies. A session of a removed user goes with it.
CREATE TABLE staff_sessions (
  token_hash   text PRIMARY KEY,
  staff_id     uuid NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT staff_sessions_expiry_valid CHECK (expires_at > created_at)
);
CREATE INDEX staff_sessions_staff_idx ON staff_sessions (staff_id);
CREATE INDEX staff_sessions_expires_idx ON staff_sessions (expires_at);

-- The queue orders by "waiting since the escalation was last raised", which a follow-up
-- re-raise moves forward; follow_ups counts those re-raises.
ALTER TABLE escalations ADD COLUMN raised_at timestamptz;
UPDATE escalations SET raised_at = created_at;
ALTER TABLE escalations ALTER COLUMN raised_at SET NOT NULL;
ALTER TABLE escalations ALTER COLUMN raised_at SET DEFAULT now();
ALTER TABLE escalations ADD COLUMN follow_ups integer NOT NULL DEFAULT 0 CHECK (follow_ups >= 0);

-- The name a staff reply went out under, as the patient saw it (names can change later).
ALTER TABLE messages ADD COLUMN author_name text;

-- The last-admin check locks the active admins; this keeps finding them cheap.
CREATE INDEX staff_users_active_admins_idx ON staff_users (id) WHERE role = 'admin' AND disabled_at IS NULL;
