DROP INDEX CONCURRENTLY accounts_email_idx;
