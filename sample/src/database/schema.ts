/**
 * The tables, created at startup when missing. A real app would run migrations instead; this keeps
 * the sample runnable against an empty database.
 */
export const SCHEMA = `
  CREATE TABLE IF NOT EXISTS stock (
    item text PRIMARY KEY,
    reserved integer NOT NULL DEFAULT 0
  );
  INSERT INTO stock (item) VALUES ('kettle'), ('teapot'), ('mug'), ('tray') ON CONFLICT DO NOTHING;

  CREATE TABLE IF NOT EXISTS orders (
    id text PRIMARY KEY,
    source text NOT NULL,
    item text NOT NULL,
    quantity integer NOT NULL,
    placed_at timestamptz NOT NULL
  );

  -- What the marketplace sent and the jobs consumer has not imported yet.
  CREATE TABLE IF NOT EXISTS marketplace_inbox (
    id bigserial PRIMARY KEY,
    item text NOT NULL,
    quantity integer NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
  );
`;
