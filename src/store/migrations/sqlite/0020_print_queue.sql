-- The kitchen's printers and their print queue (issue 22). Accepting an order queues a kitchen
-- ticket and, for a delivery, the customer's bill; a print agent (tiptop print-agent) claims a job
-- with a lease, marks it "printing" just before writing to the paper, and acknowledges it. A job
-- whose lease ran out goes to the next claim; if it had reached the paper, that copy says REPRINT.
CREATE TABLE printers (
  id           TEXT PRIMARY KEY CHECK (length(id) = 24),
  name         TEXT NOT NULL,
  paper_width  INTEGER NOT NULL CHECK (paper_width IN (58, 80)),   -- mm
  job_kinds    TEXT NOT NULL,                 -- which jobs it prints: 'kitchen', 'bill' or 'kitchen,bill'
  token_hash   TEXT NOT NULL UNIQUE,          -- SHA-256 of the agent's token, which is shown once
  is_active    INTEGER NOT NULL DEFAULT 1,
  last_seen_at INTEGER,                            -- the agent's last call: online when recent
  created_by   TEXT NOT NULL REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
);

CREATE TABLE print_jobs (
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,
  id           TEXT NOT NULL UNIQUE,
  order_id     TEXT NOT NULL REFERENCES orders (id),
  order_number TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('kitchen', 'bill')),
  state        TEXT NOT NULL CHECK (state IN ('queued', 'claimed', 'printing', 'printed')),
  printer_id   TEXT REFERENCES printers (id),   -- holding it (claimed, printing) or the one that printed it
  lease_until  INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0,          -- claims so far
  reached_paper INTEGER NOT NULL DEFAULT 0,          -- a claim marked it printing: another copy says REPRINT
  reprint_of   TEXT,                          -- a reprint asked for by staff: the job it repeats
  requested_by TEXT REFERENCES users (id),
  created_at   INTEGER NOT NULL,
  printed_at   INTEGER,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX print_jobs_open ON print_jobs (state, seq);
CREATE INDEX print_jobs_order ON print_jobs (order_id);
CREATE INDEX print_jobs_created ON print_jobs (created_at);
