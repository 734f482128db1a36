ALTER TABLE accounts
  ADD COLUMN note text,
  ADD COLUMN memo text;
