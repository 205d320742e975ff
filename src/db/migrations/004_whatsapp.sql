-- 004_whatsapp: the linked WhatsApp number's credentials and signal keys (Baileys' auth
-- state), which process may write them, and which replies were already sent.

-- One row per linked number ("account"; one per deployment today). `creds` is Baileys'
-- AuthenticationCreds as BufferJSON text; NULL until the first link starts.
-- `fence` is the fencing token of the lease holder that may write: a process that lost the
-- Redis lease holds a smaller token, and every write checks it in the same transaction.
CREATE TABLE whatsapp_accounts (
  account    text PRIMARY KEY,
  creds      text,
  fence      bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Signal keys by type (pre-key, session, sender-key, app-state-sync-key, lid-mapping,
-- device-list, tctoken, identity-key, …) and id; value is BufferJSON text.
CREATE TABLE whatsapp_keys (
  account text NOT NULL REFERENCES whatsapp_accounts (account) ON DELETE CASCADE,
  type    text NOT NULL,
  id      text NOT NULL,
  value   text NOT NULL,
  PRIMARY KEY (account, type, id)
);

-- Each part of an outgoing message that reached WhatsApp, so a retried delivery sends only
-- the parts still missing. `delivery_key` is a hash of the delivery id, which names the
-- patient's conversation; the table holds nothing personal.
CREATE TABLE whatsapp_sent (
  account       text NOT NULL,
  delivery_key  text NOT NULL,
  part          integer NOT NULL CHECK (part >= 0),
  wa_message_id text NOT NULL,
  sent_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account, delivery_key, part)
);
-- "Did the bot send this message id?": a fromMe message with an unknown id is staff typing
-- on the clinic's phone.
CREATE INDEX whatsapp_sent_message_idx ON whatsapp_sent (account, wa_message_id);
CREATE INDEX whatsapp_sent_at_idx ON whatsapp_sent (sent_at);
